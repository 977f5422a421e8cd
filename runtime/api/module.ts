/**
 * `compile(bytes)` / `validate(bytes)` of the JS-API-shaped surface: a
 * WasmflipModule holds the decoded, validated Module (the plain data both
 * tiers start from) and, once native code is first needed, its compiled
 * JavaScript (kept, so every instance of the module shares one factory).
 *
 * Invariant: a module that cannot be compiled (SIMD) still instantiates in
 * debug mode; asking for native mode then fails with the compiler's error.
 */
import { decode, validate as validateModule, type Module } from '../../interpreter/index.js';
import { compile as compileModule, compileParallel, type CompiledModule, type CompileOptions, type LoadedCode } from '../../compiler/index.js';

/** A compiled module's factory (emit-module.ts), as `wasmflip compile` writes it into a standalone ES module. */
export type Factory = (env: unknown) => LoadedCode;

export class WasmflipModule {
  #compiled: CompiledModule | undefined;

  /** `factory`: the module's code already as a function (a standalone compiled ES module); no compile then. */
  constructor(readonly bytes: Uint8Array, readonly module: Module, compiled?: CompiledModule, readonly factory?: Factory) {
    this.#compiled = compiled;
  }

  /** The compiled JavaScript (compiled on first use, on this thread). */
  get compiled(): CompiledModule {
    this.#compiled ??= compileModule(this.module, { sourceMap: false });
    return this.#compiled;
  }

  /** Whether native code exists already (no compile is triggered). */
  get isCompiled(): boolean {
    return this.#compiled !== undefined || this.factory !== undefined;
  }

  /** What `loadCompiled` takes: the prebuilt factory, else the module text. */
  get code(): Factory | string {
    return this.factory ?? this.compiled.js;
  }

  /** The module's exports as the JS API's `WebAssembly.Module.exports` lists them. */
  exports(): { name: string; kind: string }[] {
    return this.module.exports.map((e) => ({ name: e.name, kind: e.kind === 'func' ? 'function' : e.kind }));
  }

  imports(): { module: string; name: string; kind: string }[] {
    return this.module.imports.map((i) => ({ module: i.module, name: i.name, kind: i.desc.kind === 'func' ? 'function' : i.desc.kind }));
  }
}

/** Decodes and validates; throws DecodeError / ValidationError with the offset. */
export function decodeModule(bytes: Uint8Array): Module {
  const module = decode(bytes);
  validateModule(module);
  return module;
}

/**
 * Decodes, validates and compiles to JavaScript (large modules on the worker
 * pool). SIMD modules are returned uncompiled: they run in debug mode.
 */
export async function compile(bytes: Uint8Array, options: CompileOptions = {}): Promise<WasmflipModule> {
  const module = decodeModule(bytes);
  let compiled: CompiledModule | undefined;
  try {
    compiled = await compileParallel(bytes, module, { sourceMap: false, ...options });
  } catch (e) {
    if (!(e instanceof Error && e.name === 'UnsupportedError')) throw e;
  }
  return new WasmflipModule(bytes, module, compiled);
}

/** Whether the bytes are a valid module (as WebAssembly.validate). */
export function validate(bytes: Uint8Array): boolean {
  try {
    decodeModule(bytes);
    return true;
  } catch {
    return false;
  }
}
