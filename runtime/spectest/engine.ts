/**
 * The spec runner's view of an execution engine: compile bytes, instantiate
 * them against an import resolver, invoke exports and read globals
 * bit-exactly, and say which spec failure kind an error is.
 *
 * Invariant: every value crossing this interface is bit-exact (`BitsValue`),
 * so NaN payloads and -0 survive from the JSON to the comparison whatever
 * the engine does with JavaScript numbers inside.
 *
 * The list of engines is data (`engines`): the interpreter registers itself
 * in interp-engine.ts; other tiers (the AOT compiler) add entries with
 * `registerEngine` without touching the runner.
 */
import type { FuncType, ImportResolver } from '../../interpreter/index.js';

/**
 * A value in bit-exact form: i32 an int32 number; i64 a signed BigInt; f32 its
 * u32 bit pattern as a number; f64 its u64 bit pattern as a BigInt; v128 a
 * 16-byte Uint8Array (little-endian lanes); references a JS value or null.
 */
export type BitsValue = unknown;

/** The failure kinds of the spec's phases, as the assertions name them. */
export type FailureKind = 'malformed' | 'invalid' | 'unlinkable' | 'trap' | 'exhaustion' | 'unsupported';

export interface ClassifiedError {
  readonly kind: FailureKind;
  /** The spec's message alone (what assertions match by prefix). */
  readonly text: string;
  /** The full message, with where it happened. */
  readonly message: string;
}

/** A module instance as the runner sees it. */
export interface EngineInstance {
  /** The export `name` in the form this engine's `instantiate` accepts as an import; undefined if absent. */
  exportValue(name: string): unknown;
  /** Calls the exported function `name` with bit-exact arguments; returns bit-exact results. */
  invoke(name: string, args: readonly BitsValue[]): BitsValue[];
  /** Reads the exported global `name` bit-exactly. */
  get(name: string): BitsValue;
  /** The type of the exported function `name`; undefined when there is no such function. */
  funcType(name: string): FuncType | undefined;
  /** Every export's name and kind, in the module's order. */
  exportList(): { readonly name: string; readonly kind: string }[];
}

export interface SpecEngine {
  readonly name: string;
  /** One line for help texts. */
  readonly description: string;
  /** Whether v128 values and SIMD instructions can run (decoding and validation always must). */
  readonly simd: boolean;
  /** Decodes and validates; throws a malformed or invalid error. Returns an opaque compiled module. */
  compile(bytes: Uint8Array): unknown;
  /** Links and instantiates (running the start function); throws unlinkable or trap errors. */
  instantiate(compiled: unknown, imports: ImportResolver): EngineInstance;
  /** The spec kind of an error thrown by this engine; undefined for anything else (a bug). */
  classify(error: unknown): ClassifiedError | undefined;
}

export interface EngineEntry {
  readonly name: string;
  readonly description: string;
  /** Creates the engine; a fresh engine per run keeps runs independent. */
  readonly create: () => SpecEngine;
}

const registry = new Map<string, EngineEntry>();

/** Adds (or replaces) an engine under its name. */
export function registerEngine(entry: EngineEntry): void {
  registry.set(entry.name, entry);
}

/** The known engines, in registration order. */
export function engines(): readonly EngineEntry[] {
  return [...registry.values()];
}

/** The engine called `name`, or undefined. */
export function findEngine(name: string): EngineEntry | undefined {
  return registry.get(name);
}
