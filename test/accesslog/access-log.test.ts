import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { AccessLog } from '../../src/accesslog/access-log.js';
import { PendingLines } from '../../src/accesslog/pending-lines.js';
import type { ExchangeRecord } from '../../src/proxy/observer.js';
import { IncomingRequestView } from '../../src/proxy/request-view.js';
import { silentLogger } from '../../src/log.js';

/** Collects what the log writes. */
class Sink extends Writable {
  text = '';
  writes = 0;
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString('latin1');
    this.writes++;
    cb();
  }
}

function record(path: string, status = 200): ExchangeRecord {
  const view = new IncomingRequestView({ method: 'GET', host: 'a.example', rawPath: path, rawQuery: '', headers: {}, remoteAddress: '127.0.0.1', clientIp: '10.0.0.9' });
  return {
    req: { headers: {} } as IncomingMessage,
    view,
    routeId: 'r',
    status,
    startNs: 1_000_000n,
    endNs: 3_500_000n,
    upstreamStartNs: 0n,
    upstreamEndNs: 0n,
    endpoint: null,
    bytes: 2,
    failure: '',
    filterState: undefined,
    observerData: undefined,
  };
}

const paths = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { path: string }).path);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('AccessLog', () => {
  it('writes the lines set aside once the flush interval has passed, in one write', async () => {
    const sink = new Sink();
    const log = new AccessLog({ destination: sink, flushIntervalMs: 30 }, () => '', silentLogger);
    for (let i = 0; i < 5; i++) log.finished(record(`/p${i}`));
    await sleep(5);
    expect(sink.writes).toBe(0);
    await sleep(60);
    expect(sink.writes).toBe(1);
    expect(paths(sink.text)).toEqual(['/p0', '/p1', '/p2', '/p3', '/p4']);
    await log.close();
  });

  it('keeps the order when a line too big for a chunk comes between lines set aside', async () => {
    const sink = new Sink();
    const log = new AccessLog({ destination: sink, batchBytes: 1024, flushIntervalMs: 1000 }, () => '', silentLogger);
    const long = '/' + 'x'.repeat(2000);
    log.finished(record('/before'));
    log.finished(record(long));
    log.finished(record('/after'));
    await log.close();
    expect(paths(sink.text)).toEqual(['/before', long, '/after']);
  });

  it('encodes at once when more lines arrive than it sets aside, and loses none', async () => {
    const sink = new Sink();
    const log = new AccessLog({ destination: sink, flushIntervalMs: 10_000 }, () => '', silentLogger);
    const n = 2500;
    for (let i = 0; i < n; i++) log.finished(record(`/${i}`));
    // past the capacity, lines went to the writer (whose full chunks go out) without waiting for the timer
    expect(log.writer.written).toBeGreaterThan(1000);
    await log.close();
    const seen = paths(sink.text);
    expect(seen).toHaveLength(n);
    expect(seen[0]).toBe('/0');
    expect(seen[n - 1]).toBe(`/${n - 1}`);
    expect(log.writer.dropped).toBe(0);
  });
});

describe('PendingLines', () => {
  it('lets go of the strings of the lines it forgets', () => {
    const lines = new PendingLines(4);
    lines.push(record('/secret'), Date.now(), 'flow', 'trace', 512);
    expect(lines.path[0]).toBe('/secret');
    lines.clear();
    expect(lines.count).toBe(0);
    expect(lines.path[0]).toBe('');
    expect(lines.flowId[0]).toBe('');
  });
});
