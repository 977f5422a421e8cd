/**
 * A line writer for generated JavaScript: every line remembers the code
 * offset of the Wasm instruction it came from (or -1), so the source-map
 * pass can map each emitted statement back to its instruction without the
 * emitters knowing about source maps (aesthetics anchors §4, item 4).
 *
 * Invariant: `lines[i]` and `offsets[i]` always describe the same line;
 * lines never contain a newline (one statement, or one brace, per line).
 */

/**
 * Indentation strings by depth, built once: one space per level, capped.
 * Switch-heavy code nests dozens of blocks deep; two spaces per level made
 * indentation 43% of the large benchmark module's text (bench/large), all
 * of it generated, copied and parsed for nothing; past 6 levels the
 * nesting shows in the labels (`L<depth>`) instead.
 */
const INDENT: string[] = [];
const MAX_INDENT = 6;

export class JsWriter {
  readonly lines: string[] = [];
  readonly offsets: number[] = [];
  /** Current nesting depth (indentation: see INDENT). */
  depth = 1;
  /** The code offset attached to lines written from now on. */
  offset = -1;

  /** Appends one line at the current depth; returns its index (for `patch`). */
  line(text: string): number {
    this.lines.push((INDENT[this.depth] ??= ' '.repeat(Math.min(this.depth, MAX_INDENT))) + text);
    this.offsets.push(this.offset);
    return this.lines.length - 1;
  }

  /** Opens a brace block: writes `text` and indents what follows. */
  open(text: string): number {
    const i = this.line(text);
    this.depth++;
    return i;
  }

  /** Closes a brace block with `text` (default `}`). */
  close(text = '}'): void {
    this.depth--;
    this.line(text);
  }

  /**
   * Closes the block opened at line `at`; when it holds a single line, the
   * block becomes that one line (`if (c) { x = 1; }`): less text to
   * generate, copy and parse.
   */
  closeShort(at: number): void {
    this.collapse(at, (open, inner) => `${open} ${inner} }`);
  }

  /**
   * Closes a `switch` case opened at line `at` as `case k: {`; when it holds
   * a single line, the case becomes `case k: <line>` without braces (a
   * br_table's cases are mostly one `break`: bench/large has 43,000).
   */
  closeCase(at: number): void {
    this.collapse(at, (open, inner) => `${open.replace(/ \{$/, '')} ${inner}`);
  }

  /** Closes the block opened at line `at`, joining it into one line by `join` when it holds a single line. */
  private collapse(at: number, join: (open: string, inner: string) => string): void {
    if (this.lines.length !== at + 2) return this.close();
    const inner = this.lines.pop()!.trimStart();
    this.offsets.pop();
    this.depth--;
    this.patch(at, join(this.lines[at]!.trimStart(), inner));
  }

  /** Replaces line `i`'s text (keeping its indentation), e.g. to add a label once it is known to be used. */
  patch(i: number, text: string): void {
    const old = this.lines[i]!;
    const indent = old.length - old.trimStart().length;
    this.lines[i] = old.slice(0, indent) + text;
  }
}
