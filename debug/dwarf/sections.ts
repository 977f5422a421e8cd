/**
 * Where DWARF comes from: the `.debug_*` custom sections of a module, or of a
 * separate debug file named by an `external_debug_info` section
 * (tool-conventions Debugging.md). Every section is a view, never a copy.
 */

/** Section name (".debug_info", ...) → its bytes. Missing sections are simply absent. */
export type DwarfSections = Readonly<Record<string, Uint8Array | undefined>>;

/** The DWARF sections this reader understands. */
export const DWARF_SECTION_NAMES = [
  '.debug_info', '.debug_abbrev', '.debug_str', '.debug_line', '.debug_line_str',
  '.debug_str_offsets', '.debug_addr', '.debug_ranges', '.debug_rnglists', '.debug_loc',
  '.debug_loclists', '.debug_aranges',
] as const;

/** What a module says about its debug information, from its custom sections alone. */
export interface DebugInfoSource {
  readonly sections: DwarfSections;
  /** URL of the separate debug file (last `external_debug_info` wins; embedded sections are then ignored). */
  readonly externalDebugInfo: string | null;
  readonly hasDwarf: boolean;
}

/** Picks the debug sections out of a list of custom sections (name + payload view). */
export function debugInfoSource(customs: readonly { name: string; data: Uint8Array }[]): DebugInfoSource {
  const sections: Record<string, Uint8Array> = {};
  let externalDebugInfo: string | null = null;
  for (const c of customs) {
    if (c.name.startsWith('.debug_')) sections[c.name] = c.data;
    else if (c.name === 'external_debug_info') externalDebugInfo = decodeUrl(c.data);
  }
  if (externalDebugInfo !== null) return { sections: {}, externalDebugInfo, hasDwarf: false };
  return { sections, externalDebugInfo, hasDwarf: sections['.debug_info'] !== undefined };
}

/** The section's contents are the URL itself (a LEB length prefix is tolerated, as some tools write one). */
function decodeUrl(data: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(data);
  if (data.length > 0 && data[0] === data.length - 1 && data[0]! < 0x80) return text.slice(1);
  return text;
}
