/**
 * Writes access log lines (ASCII text) in batches without ever blocking a request. Each line goes
 * at once into a preallocated chunk (encoded there directly, see reserve()/commit(), or copied
 * from a string), so nothing is kept per line and nothing is joined later; a chunk is written when it is full or a few milliseconds after its first line. Every
 * write costs a system call on the libuv pool whatever its size, so waiting a little (default
 * 20 ms) instead of writing every event-loop turn saves most of the log's CPU under load.
 *
 * While the destination is backed up, chunks wait in a bounded queue; past that bound lines are
 * dropped and counted, so a slow log pipe costs log lines, never latency or memory.
 */
import type { Writable } from 'node:stream';

export interface BatchWriterOptions {
  /** Longest a queued line waits before it is written; 0 writes on the next event-loop turn. */
  readonly flushIntervalMs?: number;
  /** Chunk size in bytes: a full chunk is written at once. Default 64 KiB. */
  readonly batchBytes?: number;
  /** Most bytes kept while the destination is backed up; more lines are dropped. Default 4 MiB. */
  readonly maxQueuedBytes?: number;
  /** Called once if the destination fails; lines are dropped from then on. */
  readonly onError?: (err: Error) => void;
}

/** Chunk size when none is given: a write per 64 KiB of lines. */
export const DEFAULT_BATCH_BYTES = 64 * 1024;
/** Longest a line waits when no interval is given. */
export const DEFAULT_FLUSH_INTERVAL_MS = 20;

function flushLater(w: BatchWriter): void {
  w.flush();
}

export class BatchWriter {
  /** Lines dropped because the queue was full or the destination failed. */
  dropped = 0;
  /** Lines handed to the destination. */
  written = 0;
  private chunk: Buffer;
  private used = 0;
  private linesInChunk = 0;
  /** Full chunks not yet written (the destination asked to wait), with their line counts. */
  private readonly waiting: Buffer[] = [];
  private readonly waitingLines: number[] = [];
  private waitingBytes = 0;
  private scheduled = false;
  private blocked = false;
  private failed = false;
  private readonly size: number;
  private readonly maxQueued: number;
  private readonly interval: number;
  // Only the chunks already sealed go out on 'drain': sealing the chunk being filled as well
  // would turn every drain into one more small write and one more fresh chunk, and the timer
  // writes that chunk soon enough.
  private readonly drained = (): void => {
    this.blocked = false;
    if (!this.failed) this.send();
  };

  constructor(
    private readonly dest: Writable,
    options: BatchWriterOptions = {},
  ) {
    this.size = options.batchBytes ?? DEFAULT_BATCH_BYTES;
    this.maxQueued = options.maxQueuedBytes ?? 4 * 1024 * 1024;
    this.interval = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
    this.chunk = Buffer.allocUnsafe(this.size);
    dest.on('error', (err: Error) => {
      if (this.failed) return;
      this.failed = true;
      this.discard();
      options.onError?.(err);
    });
  }

  /**
   * hot path: makes room for a line of at most `max` bytes in the current chunk. Returns the
   * offset to write the line at (into `buffer`, then commit()), -1 when the line is dropped (and
   * counted), or -2 when it is bigger than a chunk: then hand it to write() as a string.
   */
  reserve(max: number): number {
    if (this.failed) {
      this.dropped++;
      return -1;
    }
    if (max > this.size) return -2;
    if (this.used + max > this.size) this.seal();
    if (this.blocked && this.waitingBytes + this.used + max > this.maxQueued) {
      this.dropped++;
      return -1;
    }
    return this.used;
  }

  /** The size of a chunk: a line longer than this is written on its own (write()). */
  get chunkBytes(): number {
    return this.size;
  }

  /** The chunk reserve() made room in. */
  get buffer(): Buffer {
    return this.chunk;
  }

  /** hot path: ends a line written into `buffer` at the offset reserve() gave; `end` is past its last byte. */
  commit(end: number): void {
    this.used = end;
    this.linesInChunk++;
    if (!this.scheduled) {
      this.scheduled = true;
      if (this.interval === 0) setImmediate(flushLater, this);
      else setTimeout(flushLater, this.interval, this).unref();
    }
  }

  /** One line of ASCII text (see line.ts), copied a byte per character. */
  write(line: string): void {
    const at = this.reserve(line.length);
    if (at === -2) this.writeLarge(line);
    else if (at >= 0) this.commit(at + this.chunk.write(line, at, 'latin1'));
  }

  /** Writes the current chunk and any waiting ones, unless the destination asked us to wait for 'drain'. */
  flush(): void {
    this.scheduled = false;
    if (this.failed) return;
    if (this.used > 0) this.seal();
    else this.send();
  }

  /** Writes what is queued and waits (at most `timeoutMs`) until the destination took it. */
  async close(timeoutMs = 2000): Promise<void> {
    this.flush();
    const deadline = Date.now() + timeoutMs;
    while ((this.blocked || this.waiting.length > 0) && !this.failed && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
      this.flush();
    }
    this.discard();
    this.dest.off('drain', this.drained);
  }

  /** Moves the current chunk to the waiting list and starts a new one, then sends what it can. */
  private seal(): void {
    if (this.used > 0) {
      this.queue(this.chunk.subarray(0, this.used), this.linesInChunk);
      this.chunk = Buffer.allocUnsafe(this.size);
      this.used = 0;
      this.linesInChunk = 0;
    }
    this.send();
  }

  /** A line bigger than a chunk goes on its own, after what is already queued. */
  private writeLarge(line: string): void {
    this.seal();
    const buf = Buffer.from(line, 'latin1');
    if (this.blocked && this.waitingBytes + buf.length > this.maxQueued) {
      this.dropped++;
      return;
    }
    this.queue(buf, 1);
    this.send();
  }

  private queue(buf: Buffer, lines: number): void {
    this.waiting.push(buf);
    this.waitingLines.push(lines);
    this.waitingBytes += buf.length;
  }

  private send(): void {
    if (this.blocked || this.waiting.length === 0) return;
    if (this.dest.destroyed || this.dest.writableEnded) {
      this.discard();
      return;
    }
    let ok = true;
    const many = this.waiting.length > 1;
    if (many) this.dest.cork();
    for (let i = 0; i < this.waiting.length; i++) {
      ok = this.dest.write(this.waiting[i]!);
      this.written += this.waitingLines[i]!;
    }
    if (many) this.dest.uncork();
    this.waiting.length = 0;
    this.waitingLines.length = 0;
    this.waitingBytes = 0;
    if (!ok) {
      this.blocked = true;
      this.dest.once('drain', this.drained);
    }
  }

  /** Counts everything not yet written as dropped. */
  private discard(): void {
    for (const n of this.waitingLines) this.dropped += n;
    this.dropped += this.linesInChunk;
    this.waiting.length = 0;
    this.waitingLines.length = 0;
    this.waitingBytes = 0;
    this.used = 0;
    this.linesInChunk = 0;
  }
}
