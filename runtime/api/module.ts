/**
 * `compile(bytes)` / `validate(bytes)` of the JS-API-shaped surface: a
 * WasmflipModule holds the decoded, validated Module (the plain data both
 * tiers start from) and, once native code is first needed, its compiled
 * JavaScript (kept, so every instance of the module shares one factory).
 *
 * Invariant: a module that cannot be compiled (SIMD) still instantiates in
 * debug mode; asking for native mode then fails with the compiler's error.
 */
import { decode, validate as validateModule, type Module } from '../../interpreter/core.js';
import { cancelWarm, compile as compileModule, compileParallel, warmPool, type CheckpointKind, type CompiledModule, type CompileOptions, type LoadedCode } from '../../compiler/native.js';
import { dwarfLocals } from './dwarf-locals.js';
import { dwarfLineInfo, loadOptions, withInlineMap, type LineInfo } from './source-maps.js';

/** A compiled module's factory (emit-module.ts), as `wasmflip compile` writes it into a standalone ES module. */
export type Factory = (env: unknown) => LoadedCode;

export class WasmflipModule {
  #compiled: CompiledModule | undefined;
  /** DWARF line lookup, read on first use (undefined: not yet; null: no usable line info). */
  #lines: LineInfo | null | undefined;

  /** `factory`: the module's code already as a function (a standalone compiled ES module); no compile then. */
  constructor(readonly bytes: Uint8Array, readonly module: Module, compiled?: CompiledModule, readonly factory?: Factory) {
    this.#compiled = compiled;
  }

  /** The compiled JavaScript (compiled on first use, on this thread). */
  get compiled(): CompiledModule {
    this.#compiled ??= compileModule(this.module, loadOptions(() => this.lineInfo));
    return this.#compiled;
  }

  readonly #checkpointed = new Map<CheckpointKind, CompiledModule>();
  /** The locals DWARF names, by function (read once; null: no readable DWARF, nothing is zeroed). */
  #named: ((funcIndex: number) => ReadonlySet<number>) | null | undefined;

  /**
   * The code compiled with deopt checkpoints and its frame maps, for
   * native-debug: `true` every kind (entry, loop headers, after calls, trap
   * sites), `'traps'` after calls and trap sites only (the inspection
   * level: traps keep their state, nothing polls in loops), `'stress'` every
   * kind for `deoptEvery` (each taken check asks whether to leave). Compiled
   * on first use; a prebuilt factory has none.
   * Dead locals (compiler/passes/dead-locals.ts) are zeroed when the module
   * has DWARF, except those its variables live in: a debugger then shows
   * source variables, all exact. Without DWARF the raw locals are what a
   * debugger shows, so each keeps its value. `'stress'` zeroes every dead
   * local, so forced deopts test that no live one is ever zeroed.
   */
  checkpointed(kind: CheckpointKind = true): CompiledModule {
    if (this.factory !== undefined) throw new TypeError('native-debug needs the module bytes compiled here; a prebuilt compiled module has no checkpoints');
    let c = this.#checkpointed.get(kind);
    if (c === undefined) {
      if (kind !== 'stress' && this.#named === undefined) this.#named = dwarfLocals(this.module) ?? null;
      const zeroDeadLocals = kind === 'stress' ? true : (this.#named ?? false);
      c = compileModule(this.module, { ...loadOptions(() => this.lineInfo), checkpoints: kind, zeroDeadLocals });
      this.#checkpointed.set(kind, c);
    }
    return c;
  }

  /** Whether native code exists already (no compile is triggered). */
  get isCompiled(): boolean {
    return this.#compiled !== undefined || this.factory !== undefined;
  }

  /**
   * The original source position (`file.c:12:5`) of a code offset, from the
   * module's DWARF line table; undefined without one. Native-mode traps carry
   * it (instance.ts). The DWARF is read on first use, so modules that never
   * trap pay nothing; unreadable DWARF counts as none.
   */
  sourcePosition(offset: number): string | undefined {
    try {
      const p = this.lineInfo?.(offset);
      return p === undefined ? undefined : `${p.file}:${p.line}:${p.column + 1}`;
    } catch {
      return undefined;
    }
  }

  /** The DWARF line table as source positions (0-based columns), read once; undefined without usable line info. */
  get lineInfo(): LineInfo | undefined {
    if (this.#lines === undefined) this.#lines = dwarfLineInfo(this.module) ?? null;
    return this.#lines ?? undefined;
  }

  /** Decodes, validates and compiles (large modules on the worker pool); see `compile` below. */
  static async compile(bytes: Uint8Array, options: CompileOptions): Promise<WasmflipModule> {
    warmPool(bytes, options);
    let module: Module;
    try {
      module = decodeModule(bytes);
    } catch (e) {
      cancelWarm(bytes);
      throw e;
    }
    const m = new WasmflipModule(bytes, module);
    try {
      m.#compiled = await compileParallel(bytes, m.module, { ...loadOptions(() => m.lineInfo), ...options });
    } catch (e) {
      if (!(e instanceof Error && e.name === 'UnsupportedError')) throw e;
    }
    return m;
  }


  /** The compiled text's line → code offset table (none for a prebuilt factory). */
  get lineOffsets(): Int32Array | undefined {
    return this.factory === undefined ? this.compiled.lineOffsets : undefined;
  }

  /** What `loadCompiled` takes: the prebuilt factory, else the module text. */
  get code(): Factory | string {
    return this.factory ?? (this.#code ??= withInlineMap(this.compiled));
  }

  #code: string | undefined;

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
export function compile(bytes: Uint8Array, options: CompileOptions = {}): Promise<WasmflipModule> {
  return WasmflipModule.compile(bytes, options);
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
