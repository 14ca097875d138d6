/**
 * Real upstream servers on 127.0.0.1 for end-to-end tests. The echo backend answers with a JSON
 * description of what it received (method, url, headers, raw headers, body size and hash), so a
 * test can assert exactly what crossed the proxy.
 */
import http from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  bodyBytes: number;
  bodySha256: string;
  remotePort: number;
}

export interface TestServer {
  server: http.Server;
  port: number;
  url: string;
  received: Received[];
  close(): Promise<void>;
}

export async function startServer(handler: http.RequestListener): Promise<TestServer> {
  const server = http.createServer(handler);
  server.keepAliveTimeout = 5000;
  // closeAllConnections() does not reach upgraded sockets, so track every socket.
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    received: [],
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

export async function startEcho(name = 'echo'): Promise<TestServer> {
  const received: Received[] = [];
  const s = await startServer((req, res) => {
    const hash = createHash('sha256');
    let bytes = 0;
    req.on('data', (c: Buffer) => {
      bytes += c.length;
      hash.update(c);
    });
    req.on('end', () => {
      const r: Received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        bodyBytes: bytes,
        bodySha256: hash.digest('hex'),
        remotePort: req.socket.remotePort ?? 0,
      };
      received.push(r);
      const body = JSON.stringify({ backend: name, ...r });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  return { ...s, received };
}
