/**
 * Request lines with an HTTP version other than 1.0 and 1.1 on HTTP/1 framing: those Node's
 * parser takes (HTTP/2.0, HTTP/0.9) are answered 505 and closed, as nginx does; the others the
 * parser refuses (400). None reaches the backend.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSkiff, type RunningSkiff } from '../helpers/skiff.js';
import { rawExchange, startRecordingBackend, type RecordingBackend } from './raw.js';

let backend: RecordingBackend;
let proxy: RunningSkiff;

beforeAll(async () => {
  backend = await startRecordingBackend();
  proxy = await startSkiff(`all: * -> "${backend.url}";`);
});

afterAll(async () => {
  await proxy?.stop();
  await backend?.close();
});

describe('HTTP versions', () => {
  it.each(['HTTP/2.0', 'HTTP/0.9'])('%s is answered 505 and the connection closed', async (version) => {
    backend.reset();
    const r = await rawExchange(proxy.port, `GET / ${version}\r\nHost: a\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n`);
    // The request behind it is never served: Node's parser takes no request after one of a
    // version without keep-alive, and refuses it (400) once the 505 is out.
    expect(r.statuses[0], r.text).toBe(505);
    expect(r.statuses.slice(1).every((s) => s === 400), r.text).toBe(true);
    expect(r.text).toMatch(/^HTTP\/1\.1 505 HTTP Version Not Supported\r\n/);
    expect(r.closed).toBe(true);
    expect(backend.bytes()).toBe(0);
  });

  it('HTTP/2.0 asking for keep-alive is closed all the same', async () => {
    backend.reset();
    const r = await rawExchange(proxy.port, 'GET / HTTP/2.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n', { waitMs: 1500 });
    expect(r.statuses, r.text).toEqual([505]);
    expect(r.closed).toBe(true);
    expect(backend.bytes()).toBe(0);
  });

  it('an upgrade request with HTTP/2.0 is answered 505 too', async () => {
    backend.reset();
    const r = await rawExchange(proxy.port, 'GET / HTTP/2.0\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
    expect(r.statuses, r.text).toEqual([505]);
    expect(r.closed).toBe(true);
    expect(backend.bytes()).toBe(0);
  });

  it.each(['HTTP/1.2', 'HTTP/3.0', 'HTTP/9.9'])('%s is refused, never served', async (version) => {
    backend.reset();
    const r = await rawExchange(proxy.port, `GET / ${version}\r\nHost: a\r\n\r\n`);
    expect([400, 505], r.text).toContain(r.statuses[0]);
    expect(r.statuses).toHaveLength(1);
    expect(r.closed).toBe(true);
    expect(backend.bytes()).toBe(0);
  });

  it.each(['HTTP/1.0', 'HTTP/1.1'])('%s is served', async (version) => {
    backend.reset();
    const r = await rawExchange(proxy.port, `GET /v HTTP/${version.slice(5)}\r\nHost: a\r\nConnection: close\r\n\r\n`);
    expect(r.statuses).toEqual([200]);
    expect(backend.requests.map((q) => q.url)).toEqual(['/v']);
  });
});
