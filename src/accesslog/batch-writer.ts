/**
 * Writes access log lines in batches without ever blocking a request: lines are queued and
 * written together on the next turn of the event loop (or at once when a batch is full). While
 * the destination is backed up, lines wait in a bounded queue; past that bound they are dropped
 * and counted, so a slow log pipe costs log lines, never latency or memory.
 */
import type { Writable } from 'node:stream';

export interface BatchWriterOptions {
  /** Queue size (characters) that triggers an immediate write. */
  readonly batchBytes?: number;
  /** Most characters queued while the destination is backed up; more are dropped. */
  readonly maxQueuedBytes?: number;
  /** Called once if the destination fails; lines are dropped from then on. */
  readonly onError?: (err: Error) => void;
}

function flushLater(w: BatchWriter): void {
  w.flush();
}

export class BatchWriter {
  /** Lines dropped because the queue was full or the destination failed. */
  dropped = 0;
  /** Lines handed to the destination. */
  written = 0;
  private queue: string[] = [];
  private queued = 0;
  private scheduled = false;
  private blocked = false;
  private failed = false;
  private readonly batchBytes: number;
  private readonly maxQueued: number;
  private readonly drained = (): void => {
    this.blocked = false;
    this.flush();
  };

  constructor(
    private readonly dest: Writable,
    options: BatchWriterOptions = {},
  ) {
    this.batchBytes = options.batchBytes ?? 64 * 1024;
    this.maxQueued = options.maxQueuedBytes ?? 4 * 1024 * 1024;
    dest.on('error', (err: Error) => {
      if (this.failed) return;
      this.failed = true;
      this.dropped += this.queue.length;
      this.queue = [];
      this.queued = 0;
      options.onError?.(err);
    });
  }

  /** hot path: an array push; the write itself happens later. */
  write(line: string): void {
    if (this.failed || this.queued + line.length > this.maxQueued) {
      this.dropped++;
      return;
    }
    this.queue.push(line);
    this.queued += line.length;
    if (this.blocked) return;
    if (this.queued >= this.batchBytes) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(flushLater, this);
    }
  }

  /** Writes what is queued, unless the destination asked us to wait for 'drain'. */
  flush(): void {
    this.scheduled = false;
    if (this.blocked || this.failed || this.queue.length === 0) return;
    if (this.dest.destroyed || this.dest.writableEnded) {
      this.dropped += this.queue.length;
      this.queue = [];
      this.queued = 0;
      return;
    }
    const chunk = this.queue.length === 1 ? this.queue[0]! : this.queue.join('');
    this.written += this.queue.length;
    this.queue = [];
    this.queued = 0;
    if (!this.dest.write(chunk)) {
      this.blocked = true;
      this.dest.once('drain', this.drained);
    }
  }

  /** Writes what is queued and waits (at most `timeoutMs`) until the destination took it. */
  async close(timeoutMs = 2000): Promise<void> {
    this.flush();
    const deadline = Date.now() + timeoutMs;
    while ((this.blocked || this.queue.length > 0) && !this.failed && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
      this.flush();
    }
    const left = this.queue.length;
    this.dropped += left;
    this.queue = [];
    this.queued = 0;
    this.dest.off('drain', this.drained);
  }
}
