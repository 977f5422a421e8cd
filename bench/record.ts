/**
 * `--record`: measures every kernel's checksums in V8's WebAssembly and writes
 * them into kernels.json (after a kernel or its n changes).
 * Invariant: only the `expected` fields change; V8 is the oracle.
 */
import { writeFileSync } from 'node:fs';
import { v8Engine } from './engines/v8.js';
import { checksumOf, kernelBytes, kernelsJsonPath, loadKernels } from './kernels.js';

export async function recordChecksums(log: (line: string) => void): Promise<void> {
  const kernels = loadKernels();
  for (const kernel of kernels) {
    const { run } = await v8Engine.load(kernelBytes(kernel), kernel);
    kernel.expectedQuick = checksumOf(run(kernel.quickN), kernel.result);
    kernel.expected = checksumOf(run(kernel.n), kernel.result);
    log(`${kernel.name}: run(${kernel.quickN}) = ${kernel.expectedQuick}, run(${kernel.n}) = ${kernel.expected}`);
  }
  const lines = kernels.map((k) => '    ' + JSON.stringify(k).replace(/,"/g, ', "').replace(/":/g, '": ').replace(/^\{/, '{ ').replace(/\}$/, ' }'));
  writeFileSync(kernelsJsonPath, `{\n  "kernels": [\n${lines.join(',\n')}\n  ]\n}\n`);
  log(`wrote ${kernelsJsonPath}`);
}
