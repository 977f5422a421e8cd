/**
 * debug/: the public surface. For now, the DWARF reader (static debug
 * information: lines, functions, inlined calls, variables, types, locations).
 */

export * from './dwarf/index.js';
