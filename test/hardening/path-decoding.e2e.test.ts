/**
 * Paths a decoding backend reads differently from the raw text, written byte for byte to a live
 * skiff that denies /admin to loopback clients and sends everything else to the same backend:
 * each is refused before routing (400 bad_path, connection closed), never routed by its raw text
 * to the catch-all, and the backend receives nothing for it. Accepted escapes keep their raw
 * bytes on the way upstream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeRecord, ProxyObserver } from '../../src/proxy/observer.js';
import { startSkiff, type RunningSkiff } from '../helpers/skiff.js';
import { rawExchange, startRecordingBackend, type RecordingBackend } from './raw.js';

let backend: RecordingBackend;
let proxy: RunningSkiff;
const failures: { url: string; status: number; failure: string }[] = [];
const observer: ProxyObserver = {
  finished(record: ExchangeRecord) {
    failures.push({ url: record.req.url ?? '', status: record.status, failure: record.failure });
  },
};

beforeAll(async () => {
  backend = await startRecordingBackend();
  proxy = await startSkiff(
    `admin: PathSubtree("/admin") -> ipDenyList("127.0.0.0/8") -> "${backend.url}";
     all: * -> "${backend.url}";`,
    { observer },
  );
});

afterAll(async () => {
  await proxy?.stop();
  await backend?.close();
});

const hostile = [
  '/%61dmin/x%ff',
  '/%61dmin/x%zz',
  '/%61dmin/%c0%ae',
  '/%61dmin/%c0%ae%c0%ae/x',
  '/%61dmin/x%',
  '/%61dmin%00/x',
  '/admin%00',
  '/%61dmin/%ed%a0%80',
  '/public/..%2F%61dmin/x',
  '/public/..%2fadmin',
  '/public/..%5Cadmin',
  '/public/%2e%2e%5c%61dmin',
  'http://a/%61dmin/x%ff',
];

describe('paths that cannot be decoded, or that backends could read in two ways', () => {
  it('are answered 400 and closed before routing; the backend receives none of them', async () => {
    // Without the route's guard a loopback client could reach /admin through the catch-all.
    const plain = await rawExchange(proxy.port, 'GET /admin/x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    expect(plain.statuses).toEqual([403]);
    for (const target of hostile) {
      failures.length = 0;
      // keep-alive asked for, and a second request behind: the refusal still closes
      const r = await rawExchange(proxy.port, `GET ${target} HTTP/1.1\r\nHost: a\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n`);
      expect(r.statuses, `${target}: ${r.text}`).toEqual([400]);
      expect(r.closed, target).toBe(true);
      expect(failures.filter((f) => f.url === target), target).toEqual([{ url: target, status: 400, failure: 'bad_path' }]);
      // the request behind it never has its turn (told to the observers as client_gone)
      expect(failures.filter((f) => f.url !== target && f.failure !== 'client_gone'), target).toEqual([]);
    }
    expect(backend.requests.map((q) => q.url)).toEqual([]);
    expect(backend.bytes()).toBe(0);
  });

  it('accepted escapes are decoded for matching and forwarded as the client wrote them', async () => {
    backend.reset();
    const denied = await rawExchange(proxy.port, 'GET /%61dmin/x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    expect(denied.statuses).toEqual([403]);
    const dotted = await rawExchange(proxy.port, 'GET /public/%2e%2E/%61dmin HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    expect(dotted.statuses).toEqual([403]);
    const encodedSlash = await rawExchange(proxy.port, 'GET /%61dmin%2Fx HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    expect(encodedSlash.statuses).toEqual([403]);
    expect(backend.requests).toHaveLength(0);
    for (const target of ['/caf%C3%A9/a%2Fb', '/files/a%20b?x=%zz', '/%E2%82%AC']) {
      const r = await rawExchange(proxy.port, `GET ${target} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`);
      expect(r.statuses, target).toEqual([200]);
    }
    expect(backend.requests.map((q) => q.url)).toEqual(['/caf%C3%A9/a%2Fb', '/files/a%20b?x=%zz', '/%E2%82%AC']);
  });
});
