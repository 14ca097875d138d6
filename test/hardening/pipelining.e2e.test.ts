/**
 * Pipelined requests (several written before the first answer): answers in order, requests sent
 * upstream one after the other, nothing sent upstream once an answer has closed the connection,
 * and bytes the parser refuses answered only after the complete requests before them.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSkiff, type RunningSkiff } from '../helpers/skiff.js';
import { rawExchange, startRecordingBackend, type RecordingBackend } from './raw.js';

let backend: RecordingBackend;
let proxy: RunningSkiff;
/** When the backend answered each path, and when each arrived, in ms since the test began. */
let arrived: Record<string, number>;
let answered: Record<string, number>;
let t0: number;

beforeAll(async () => {
  backend = await startRecordingBackend((req, res) => {
    arrived[req.url] = performance.now() - t0;
    const delay = req.url.startsWith('/slow') ? 150 : 0;
    setTimeout(() => {
      answered[req.url] = performance.now() - t0;
      res.end(`answer to ${req.method} ${req.url}\n`);
    }, delay);
  });
  proxy = await startSkiff(`all: * -> "${backend.url}";`);
});

afterAll(async () => {
  await proxy.stop();
  await backend.close();
});

beforeEach(() => {
  backend.reset();
  arrived = {};
  answered = {};
  t0 = performance.now();
});

const post = (path: string, body = 'x'): string => `POST ${path} HTTP/1.1\r\nHost: a.example\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
const get = (path: string, extra = ''): string => `GET ${path} HTTP/1.1\r\nHost: a.example\r\n${extra}\r\n`;

describe('pipelined requests', () => {
  it('are answered in order and reach the backend one after the other', async () => {
    const got = await rawExchange(proxy.port, post('/slow') + post('/second') + get('/third'), { waitMs: 600 });
    expect(got.statuses).toEqual([200, 200, 200]);
    expect(got.text.indexOf('answer to POST /slow')).toBeLessThan(got.text.indexOf('answer to POST /second'));
    expect(got.text.indexOf('answer to POST /second')).toBeLessThan(got.text.indexOf('answer to GET /third'));
    expect(backend.requests.map((r) => r.url)).toEqual(['/slow', '/second', '/third']);
    // the second POST left skiff only once the first had its answer
    expect(arrived['/second']!).toBeGreaterThanOrEqual(answered['/slow']!);
  });

  it('are not sent upstream behind a request that closes the connection', async () => {
    const got = await rawExchange(proxy.port, get('/first', 'Connection: close\r\n') + post('/after-close'), { waitMs: 400 });
    expect(got.statuses).toEqual([200]);
    expect(got.closed).toBe(true);
    expect(backend.requests.map((r) => r.url)).toEqual(['/first']);
  });

  it('are not sent upstream behind a request skiff refused', async () => {
    // two Authorization fields: refused with 400 and the connection closed
    const refused = 'GET /refused HTTP/1.1\r\nHost: a.example\r\nAuthorization: a\r\nAuthorization: b\r\n\r\n';
    const got = await rawExchange(proxy.port, refused + post('/after-refusal'), { waitMs: 400 });
    expect(got.statuses).toEqual([400]);
    expect(got.closed).toBe(true);
    expect(backend.requests).toEqual([]);
  });

  it('get their answers before the 400 for bytes the parser refused after them', async () => {
    const got = await rawExchange(proxy.port, get('/slow-first') + get('/second') + 'GARBAGE\r\n\r\n', { waitMs: 600 });
    expect(got.statuses).toEqual([200, 200, 400]);
    expect(got.text).toContain('answer to GET /slow-first');
    expect(got.closed).toBe(true);
    expect(backend.requests.map((r) => r.url)).toEqual(['/slow-first', '/second']);
  });

  it('keep their answers ahead of an upgrade asked for behind them', async () => {
    // the backend does not switch protocols: skiff relays its 200 and closes
    const upgrade = 'GET /ws HTTP/1.1\r\nHost: a.example\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';
    const got = await rawExchange(proxy.port, get('/slow-ahead') + upgrade, { waitMs: 600 });
    expect(got.statuses).toEqual([200, 200]);
    expect(got.text.indexOf('answer to GET /slow-ahead')).toBeGreaterThan(0);
    expect(got.text.indexOf('answer to GET /slow-ahead')).toBeLessThan(got.text.indexOf('answer to GET /ws'));
  });

  it('are refused, not sent, when the parser refuses their own body', async () => {
    const badChunked = 'POST /broken HTTP/1.1\r\nHost: a.example\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n';
    const got = await rawExchange(proxy.port, get('/slow-before') + badChunked, { waitMs: 600 });
    expect(got.statuses).toEqual([200, 400]);
    expect(got.closed).toBe(true);
    expect(backend.requests.map((r) => r.url)).toEqual(['/slow-before']);
  });
});

describe('a pipelined request that never gets its turn', () => {
  it('is still told to the observers, as a request the client gave up on (499)', async () => {
    const finished: string[] = [];
    const observed = await startSkiff(`all: * -> "${backend.url}";`, {
      observer: {
        finished: (record) => {
          finished.push(`${record.req.url} ${record.status} ${record.failure}`);
        },
      },
    });
    try {
      // the client leaves while /slow is at the backend, with two requests queued behind it
      await rawExchange(observed.port, get('/slow') + post('/never') + get('/neither'), { waitMs: 40 });
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(finished.sort()).toEqual(['/neither 499 client_gone', '/never 499 client_gone', '/slow 499 client_gone']);
    } finally {
      await observed.stop();
    }
  });
});
