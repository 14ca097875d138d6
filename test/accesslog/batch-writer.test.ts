import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { BatchWriter } from '../../src/accesslog/batch-writer.js';

/** A destination that records each write() call; `stalled` holds callbacks back (a backed-up pipe). */
class Recorder extends Writable {
  readonly chunks: string[] = [];
  stalled = false;
  private held: (() => void)[] = [];

  constructor(highWaterMark = 16 * 1024) {
    super({ highWaterMark });
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.chunks.push(chunk.toString());
    if (this.stalled) this.held.push(() => cb());
    else cb();
  }

  override _writev(chunks: { chunk: Buffer }[], cb: (err?: Error | null) => void): void {
    this._write(Buffer.concat(chunks.map((c) => c.chunk)), 'buffer', cb);
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
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('BatchWriter', () => {
  it('writes the lines of a flush interval together, once the interval has passed', async () => {
    const dest = new Recorder();
    const w = new BatchWriter(dest, { flushIntervalMs: 30 });
    for (let i = 0; i < 50; i++) w.write(`line ${i}\n`);
    await tick();
    expect(dest.chunks).toHaveLength(0);
    await sleep(60);
    expect(dest.chunks).toHaveLength(1);
    expect(dest.text.split('\n')).toHaveLength(51);
    expect(dest.text.startsWith('line 0\nline 1\n')).toBe(true);
    expect(w.written).toBe(50);
    expect(w.dropped).toBe(0);
  });

  it('writes on the next turn of the event loop with an interval of 0', async () => {
    const dest = new Recorder();
    const w = new BatchWriter(dest, { flushIntervalMs: 0 });
    w.write('a\n');
    w.write('b\n');
    await tick();
    expect(dest.chunks).toEqual(['a\nb\n']);
  });

  it('writes a chunk as soon as it is full', () => {
    const dest = new Recorder();
    const w = new BatchWriter(dest, { batchBytes: 100, flushIntervalMs: 1000 });
    // Lines are ASCII, a byte a character: nine 11-byte lines fill a 100-byte chunk.
    for (let i = 0; i < 25; i++) w.write('0123456789\n');
    expect(dest.chunks).toHaveLength(2);
    expect(dest.chunks[0]).toBe('0123456789\n'.repeat(9));
    expect(w.written).toBe(18);
  });

  it('gives a line longer than a chunk its own write, in order', async () => {
    const dest = new Recorder();
    const w = new BatchWriter(dest, { batchBytes: 64, flushIntervalMs: 0 });
    w.write('short\n');
    const long = 'x'.repeat(100) + '\n';
    w.write(long);
    w.write('after\n');
    await tick();
    expect(dest.text).toBe('short\n' + long + 'after\n');
    expect(w.written).toBe(3);
  });

  it('queues while the destination is backed up, drops past the bound, and resumes on drain', async () => {
    const dest = new Recorder(64);
    dest.stalled = true;
    // One 40-byte line per 64-byte chunk.
    const w = new BatchWriter(dest, { batchBytes: 64, maxQueuedBytes: 200, flushIntervalMs: 0 });
    const line = 'x'.repeat(39) + '\n';
    for (let i = 0; i < 10; i++) w.write(line);
    // Two chunks went out before the stream passed its mark; five wait; the rest would pass 200 bytes.
    expect(dest.writableNeedDrain).toBe(true);
    expect(w.written).toBe(2);
    expect(w.dropped).toBe(3);
    dest.release();
    await tick();
    await tick();
    expect(w.written).toBe(7);
    expect(w.written + w.dropped).toBe(10);
    expect(dest.text).toBe(line.repeat(7));
  });

  it('sends only sealed chunks on drain and leaves the chunk being filled to the timer', async () => {
    const dest = new Recorder(64);
    dest.stalled = true;
    const w = new BatchWriter(dest, { batchBytes: 100, flushIntervalMs: 40 });
    const line = 'y'.repeat(29) + '\n';
    for (let i = 0; i < 4; i++) w.write(line); // three lines fill the first chunk, the fourth starts the next
    expect(dest.chunks).toHaveLength(1);
    expect(dest.writableNeedDrain).toBe(true);
    w.write(line); // the second chunk holds two lines now
    dest.release();
    await tick();
    // The drain found nothing sealed: the half-full chunk was not cut into a write of its own.
    expect(dest.chunks).toHaveLength(1);
    w.write(line);
    await sleep(80);
    expect(dest.chunks).toEqual([line.repeat(3), line.repeat(3)]);
    expect(w.written).toBe(6);
  });

  it('drops lines and reports once when the destination fails', async () => {
    const dest = new Writable({
      write(_c, _e, cb) {
        cb(new Error('EPIPE'));
      },
    });
    const errors: Error[] = [];
    const w = new BatchWriter(dest, { flushIntervalMs: 0, onError: (e) => errors.push(e) });
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
    const w = new BatchWriter(dest, { flushIntervalMs: 10_000 });
    w.write('last\n');
    await w.close();
    expect(dest.text).toBe('last\n');
    expect(w.written).toBe(1);
  });
});
