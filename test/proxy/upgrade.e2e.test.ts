/** WebSocket-style upgrades through skiff: the 101 is relayed and bytes flow both ways. */
import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { startServer, type TestServer } from '../helpers/upstream.js';
import { startSkiff, type RunningSkiff } from '../helpers/skiff.js';

let backend: TestServer | undefined;
let proxy: RunningSkiff | undefined;
afterEach(async () => {
  await proxy?.stop();
  await backend?.close();
  proxy = backend = undefined;
});

/** A backend that switches protocols and then echoes every byte back upper-cased. */
async function upgradingBackend(): Promise<TestServer> {
  const s = await startServer((_req, res) => res.end('plain'));
  s.server.on('upgrade', (req: http.IncomingMessage, socket: Duplex) => {
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `X-Seen-Host: ${req.headers.host}\r\nX-Seen-Xff: ${req.headers['x-forwarded-for']}\r\n\r\n`,
    );
    socket.on('data', (d: Buffer) => socket.write(d.toString().toUpperCase()));
  });
  return s;
}

function upgrade(url: string, path: string): Promise<{ res: http.IncomingMessage; socket: Duplex; head: Buffer }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: u.hostname,
      port: u.port,
      path,
      headers: { connection: 'Upgrade', upgrade: 'websocket', host: 'chat.example.org' },
    });
    req.on('upgrade', (res, socket, head) => resolve({ res, socket, head }));
    req.on('response', (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
    req.on('error', reject);
    req.end();
  });
}

describe('upgrade', () => {
  it('relays the 101 and pipes bytes both ways', async () => {
    backend = await upgradingBackend();
    proxy = await startSkiff(`ws: PathSubtree("/ws") -> "${backend.url}";`);
    const { res, socket } = await upgrade(proxy.url, '/ws/room');
    expect(res.statusCode).toBe(101);
    expect(res.headers['x-seen-host']).toBe('chat.example.org');
    expect(res.headers['x-seen-xff']).toBe('127.0.0.1');
    const reply = new Promise<string>((resolve) => socket.once('data', (d: Buffer) => resolve(d.toString())));
    socket.write('hello');
    expect(await reply).toBe('HELLO');
    socket.destroy();
  });

  it('answers an upgrade no route matches with 404', async () => {
    backend = await upgradingBackend();
    proxy = await startSkiff(`ws: PathSubtree("/ws") -> "${backend.url}";`);
    await expect(upgrade(proxy.url, '/nothing')).rejects.toThrow(/no upgrade: 404/);
  });

  it('relays the answer of a backend that declines the upgrade', async () => {
    backend = await startServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' });
      res.end('upgrade refused');
    });
    proxy = await startSkiff(`ws: * -> "${backend.url}";`);
    await expect(upgrade(proxy.url, '/')).rejects.toThrow(/no upgrade: 426/);
  });
});
