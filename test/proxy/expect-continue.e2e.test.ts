/**
 * `Expect: 100-continue` on raw sockets: an upload the route or its filters refuse gets the
 * refusal without a 100 first (an ipDenyList 403, no route 404, a route that fails closed 500);
 * one that is forwarded gets 100, sends its body, and gets the backend's answer.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import { startSkiff, type RunningSkiff } from '../helpers/skiff.js';
import { startRecordingBackend, sleep, statusesOf, type RecordingBackend } from '../hardening/raw.js';

let backend: RecordingBackend;
let proxy: RunningSkiff;

beforeAll(async () => {
  backend = await startRecordingBackend((req, res) => res.end(`got ${req.body.length} bytes: ${req.body.toString()}`));
  proxy = await startSkiff(`
    denied: Path("/denied") -> ipDenyList("127.0.0.1") -> "${backend.url}";
    broken: Path("/broken") -> noSuchFilter() -> "${backend.url}";
    allowed: Path("/upload") -> "${backend.url}";
  `);
});

afterAll(async () => {
  await proxy.stop();
  await backend.close();
});

beforeEach(() => backend.reset());

const head = (path: string, length: number): string =>
  `POST ${path} HTTP/1.1\r\nHost: a.example\r\nContent-Length: ${length}\r\nExpect: 100-continue\r\n\r\n`;

/**
 * Sends the head, waits for the first answer, and sends the body only if it is 100 Continue,
 * as a client that honours Expect does. Returns everything received until the connection closes
 * or `waitMs` passes after the last write.
 */
function upload(path: string, body: string, waitMs = 700): Promise<{ text: string; statuses: number[]; bodySent: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(proxy.port, '127.0.0.1');
    let text = '';
    let bodySent = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, statuses: statusesOf(text), bodySent });
    };
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      if (!bodySent && text.startsWith('HTTP/1.1 100 ') && text.includes('\r\n\r\n')) {
        bodySent = true;
        socket.write(body);
        clearTimeout(timer);
        timer = setTimeout(finish, waitMs);
      }
    });
    socket.on('close', finish);
    socket.on('error', finish);
    socket.on('connect', () => {
      socket.write(head(path, body.length));
      timer = setTimeout(finish, waitMs);
    });
  });
}

describe('Expect: 100-continue', () => {
  it('to a route whose filter denies the client: 403 without 100', async () => {
    const got = await upload('/denied', 'secret');
    expect(got.statuses).toEqual([403]);
    expect(got.bodySent).toBe(false);
    expect(backend.requests).toEqual([]);
  });

  it('with no route: 404 without 100', async () => {
    const got = await upload('/nowhere', 'secret');
    expect(got.statuses).toEqual([404]);
    expect(got.bodySent).toBe(false);
  });

  it('to a route that fails closed: 500 without 100', async () => {
    const got = await upload('/broken', 'secret');
    expect(got.statuses).toEqual([500]);
    expect(got.bodySent).toBe(false);
    expect(backend.requests).toEqual([]);
  });

  it('to an allowed route: 100, then the body goes to the backend, then its answer', async () => {
    const got = await upload('/upload', 'hello');
    expect(got.statuses).toEqual([100, 200]);
    expect(got.bodySent).toBe(true);
    expect(got.text).toContain('got 5 bytes: hello');
    expect(backend.requests.map((r) => [r.url, r.body.toString()])).toEqual([['/upload', 'hello']]);
    // the backend saw no Expect of its own (skiff answered it downstream)
    expect(backend.requests[0]!.headers.expect).toBeUndefined();
  });

  it('a refused upload leaves no connection to send the body on anyway', async () => {
    const socket = net.connect(proxy.port, '127.0.0.1');
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.on('error', () => undefined);
    socket.write(head('/nowhere', 6));
    await Promise.race([closed, sleep(1000)]);
    expect(statusesOf(text)).toEqual([404]);
    expect(text.toLowerCase()).toContain('connection: close');
    expect(socket.destroyed || socket.readableEnded).toBe(true);
    socket.destroy();
  });
});
