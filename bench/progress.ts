/**
 * The progress display on stderr while the bench runs: which kernel and
 * configuration, k of N, elapsed time. On a TTY one line is redrawn in place
 * and finished results scroll above it; otherwise every event is a plain line
 * (logs and CI stay readable).
 * Invariant: the line never wraps a narrow terminal (it is cut to the width),
 * and `done()` leaves the cursor on a clean line.
 */

export interface ProgressSink {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/** "1m05s" / "42.0s": elapsed time as people read it. */
export function formatElapsed(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.floor(s - m * 60)).padStart(2, '0')}s`;
}

/** The status line: `[k/N 0:12.3] kernel × configuration`. */
export function progressLine(k: number, total: number, what: string, elapsedMs: number): string {
  return `[${k}/${total} ${formatElapsed(elapsedMs)}] ${what}`;
}

export class Progress {
  readonly #sink: ProgressSink;
  readonly #start: number;
  readonly #now: () => number;
  #status = '';

  constructor(sink: ProgressSink = process.stderr, now: () => number = () => performance.now()) {
    this.#sink = sink;
    this.#now = now;
    this.#start = now();
  }

  get elapsedMs(): number {
    return this.#now() - this.#start;
  }

  /** Announces the step that starts now (step k of total, 1-based). */
  step(k: number, total: number, what: string): void {
    const line = progressLine(k, total, what, this.elapsedMs);
    if (this.#sink.isTTY) {
      const width = Math.max(20, (this.#sink.columns ?? 80) - 1);
      this.#status = line.length > width ? line.slice(0, width - 1) + '…' : line;
      this.#sink.write(`\r\x1b[K${this.#status}`);
    } else {
      this.#sink.write(line + ' …\n');
    }
  }

  /** A finished result or message: printed above the status line, which is redrawn. */
  log(line: string): void {
    if (this.#sink.isTTY) {
      this.#sink.write(`\r\x1b[K${line}\n${this.#status}`);
    } else {
      this.#sink.write(line + '\n');
    }
  }

  /** Clears the status line (TTY). */
  done(): void {
    if (this.#sink.isTTY) this.#sink.write('\r\x1b[K');
    this.#status = '';
  }
}
