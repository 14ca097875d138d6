/**
 * The bound on pipelined requests per connection (src/proxy/pipeline.ts): requests parsed past
 * it are never served and the connection closes after the last answer within it; a connection
 * that only reaches the bound is held, not closed, and read again once its queue has room; and
 * waiting requests hold slots of --max-concurrent-requests.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import { startSkiff, type RunningSkiff } from '../helpers/skiff.js';
import { rawExchange, startRecordingBackend, statusesOf, sleep, type RecordingBackend } from '../hardening/raw.js';
import { maxPipelinedRequests } from '../../src/proxy/pipeline.js';

let backend: RecordingBackend;
let proxy: RunningSkiff;
let capped: RunningSkiff;

beforeAll(async () => {
  backend = await startRecordingBackend((req, res) => {
    // the first request of a pipeline is slow, so that the others wait behind it
    setTimeout(() => res.end(`answer to ${req.url}\n`), req.url.startsWith('/slow') ? 300 : 0);
  });
  proxy = await startSkiff(`all: * -> "${backend.url}";`);
  capped = await startSkiff(`all: * -> "${backend.url}";`, { proxy: { maxConcurrentRequests: 8 } });
});

afterAll(async () => {
  await proxy.stop();
  await capped.stop();
  await backend.close();
});

beforeEach(() => backend.reset());

const get = (path: string): string => `GET ${path} HTTP/1.1\r\nHost: a.example\r\n\r\n`;
const pipeline = (n: number, prefix: string): string => Array.from({ length: n }, (_, i) => get(`${prefix}${i}`)).join('');

describe('pipelined requests past the bound', () => {
  it('are not served: the connection closes after the last answer within the bound', async () => {
    const got = await rawExchange(proxy.port, get('/slow') + pipeline(40, '/p'), { waitMs: 3000 });
    const served = 1 + maxPipelinedRequests;
    expect(got.statuses).toEqual(Array(served).fill(200));
    expect(got.closed).toBe(true);
    // the last answer says so
    const lastHead = got.text.slice(got.text.lastIndexOf('HTTP/1.1 200'));
    expect(lastHead.toLowerCase()).toContain('connection: close');
    expect(backend.requests.map((r) => r.url)).toEqual(['/slow', ...Array.from({ length: maxPipelinedRequests }, (_, i) => `/p${i}`)]);
  });
});

describe('a connection that reaches the bound', () => {
  it('is held, not closed, and read again once its queue has room', async () => {
    // the bound exactly, then one more in a later write: it stays in the socket until the queue
    // has room, and is served then (read at once, it would have been past the bound)
    const first = get('/slow') + pipeline(maxPipelinedRequests, '/a');
    const got = await rawExchange(proxy.port, [first, get('/later')], { gapMs: 100, waitMs: 1500 });
    expect(got.closed).toBe(false);
    expect(got.statuses).toEqual(Array(1 + maxPipelinedRequests + 1).fill(200));
    expect(got.text).toContain('answer to /later');
  });
});

describe('waiting pipelined requests and --max-concurrent-requests', () => {
  it('hold slots of the cap, so another client gets 503 while they wait, and all are served in turn', async () => {
    const socket = net.connect(capped.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    await new Promise<void>((r) => socket.once('connect', () => r()));
    // 1 in flight + 10 waiting, 7 of them with a slot: the cap of 8 is full
    socket.write(get('/slow') + pipeline(10, '/w'));
    await sleep(100);
    const during = await fetch(`${capped.url}/other`);
    await during.arrayBuffer();
    expect(during.status).toBe(503);
    const deadline = Date.now() + 3000;
    while (statusesOf(Buffer.concat(chunks).toString('latin1')).length < 11 && Date.now() < deadline) await sleep(20);
    socket.destroy();
    expect(statusesOf(Buffer.concat(chunks).toString('latin1'))).toEqual(Array(11).fill(200));
    // every slot was given back
    const after = await fetch(`${capped.url}/other`);
    await after.arrayBuffer();
    expect(after.status).toBe(200);
  });
});
