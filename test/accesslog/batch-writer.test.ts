import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { BatchWriter } from '../../src/accesslog/batch-writer.js';

/** A destination that records each write() call; `stalled` holds callbacks back (a backed-up pipe). */
class Recorder extends Writable {
  readonly chunks: string[] = [];
  stalled = false;
  private held: (() => void)[] = [];

  constructor(highWaterMark = 16 * 1024) {
    super({ highWaterMark, decodeStrings: false });
  }

  override _write(chunk: string | Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.chunks.push(String(chunk));
    if (this.stalled) this.held.push(() => cb());
    else cb();
  }

  release(): void {
    this.stalled = false;
    for (const cb of this.held.splice(0)) cb();
  }

  get text(): string {
    return this.chunks.join('');
  }
}

const tick = () => new Promise((r) => setImmediate(r));

describe('BatchWriter', () => {
  it('writes the lines of one turn of the event loop in one write, on the next turn', async () => {
    const dest = new Recorder();
    const w = new BatchWriter(dest);
    for (let i = 0; i < 50; i++) w.write(`line ${i}\n`);
    expect(dest.chunks).toHaveLength(0);
    await tick();
    expect(dest.chunks).toHaveLength(1);
    expect(dest.text.split('\n')).toHaveLength(51);
    expect(w.written).toBe(50);
    expect(w.dropped).toBe(0);
  });

  it('writes at once when a batch is full', () => {
    const dest = new Recorder();
    const w = new BatchWriter(dest, { batchBytes: 100 });
    for (let i = 0; i < 25; i++) w.write('0123456789\n');
    // 11 characters a line: the tenth line reaches 110 ≥ 100, and again at the twentieth.
    expect(dest.chunks).toHaveLength(2);
    expect(dest.chunks[0]).toBe('0123456789\n'.repeat(10));
  });

  it('queues while the destination is backed up, drops past the bound, and resumes on drain', async () => {
    const dest = new Recorder(64);
    dest.stalled = true;
    const w = new BatchWriter(dest, { batchBytes: 32, maxQueuedBytes: 200 });
    const line = 'x'.repeat(39) + '\n';
    // Each line fills a batch and is written at once; the second puts the stream over its mark.
    for (let i = 0; i < 2; i++) w.write(line);
    expect(dest.writableNeedDrain).toBe(true);
    for (let i = 0; i < 10; i++) w.write(line); // 5 fit in 200, 5 are dropped
    expect(w.dropped).toBe(5);
    expect(dest.chunks).toHaveLength(1);
    dest.release();
    await tick();
    await tick();
    expect(w.dropped).toBe(5);
    expect(w.written).toBe(7);
    expect(dest.text).toBe(line.repeat(7));
  });

  it('drops lines and reports once when the destination fails', async () => {
    const dest = new Writable({
      write(_c, _e, cb) {
        cb(new Error('EPIPE'));
      },
    });
    const errors: Error[] = [];
    const w = new BatchWriter(dest, { onError: (e) => errors.push(e) });
    w.write('a\n');
    await tick();
    await tick();
    w.write('b\n');
    w.write('c\n');
    expect(errors.map((e) => e.message)).toEqual(['EPIPE']);
    expect(w.dropped).toBe(2);
  });

  it('flushes what is queued on close', async () => {
    const dest = new Recorder();
    const w = new BatchWriter(dest);
    w.write('last\n');
    await w.close();
    expect(dest.text).toBe('last\n');
  });
});
