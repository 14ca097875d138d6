/**
 * A proxy listener: the node:http server that accepts downstream connections and feeds the
 * request handler, with the timeouts an edge proxy needs and a drain mode for shutdown.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ProxyRuntime } from './runtime.js';
import type { ListenerInfo } from './forwarded.js';
import { handleRequest } from './handler.js';
import { handleUpgrade } from './upgrade.js';

export function createProxyServer(rt: ProxyRuntime, info: ListenerInfo): http.Server {
  const server = http.createServer(
    {
      headersTimeout: rt.options.requestHeadersTimeoutMs,
      requestTimeout: 0,
      noDelay: true,
      keepAlive: true,
    },
    (req, res) => handleRequest(rt, info, req, res),
  );
  // Longer than the ALB's 60 s idle timeout, so the ALB never reuses a connection we just closed.
  server.keepAliveTimeout = rt.options.keepAliveTimeoutMs;
  server.on('upgrade', (req, socket, head) => handleUpgrade(rt, info, req, socket, head));
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || (err.code === 'ECONNRESET' && socket.bytesWritten === 0 && !socket.readable)) {
      socket.destroy();
      return;
    }
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const text = http.STATUS_CODES[status] ?? 'Bad Request';
    socket.end(
      `HTTP/1.1 ${status} ${text}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${text.length + 1}\r\nconnection: close\r\n\r\n${text}\n`,
    );
  });
  return server;
}

export async function listen(server: http.Server, host: string, port: number): Promise<{ host: string; port: number }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  if (addr === null || typeof addr === 'string') return { host, port };
  return { host: addr.address, port: addr.port };
}

/**
 * Stops accepting, lets in-flight requests finish (their responses carry Connection: close
 * because the runtime is draining), and force-closes what is left at the deadline.
 */
export async function closeGracefully(server: http.Server, deadlineMs: number, tunnels?: Set<Duplex>): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      server.closeAllConnections();
      // Upgraded sockets are no longer the HTTP server's: cut them ourselves.
      if (tunnels !== undefined) for (const t of tunnels) t.destroy();
      resolve();
    }, deadlineMs);
  });
  await Promise.race([closed, deadline]);
  clearInterval(idleSweep);
  clearTimeout(timer);
}
