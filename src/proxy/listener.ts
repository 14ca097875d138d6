/**
 * A proxy listener: the node:http server that accepts downstream connections and feeds the
 * request handler, with the limits and timeouts an edge proxy needs (header size and count,
 * header and request deadlines, CONNECT refused, parse errors answered once and closed), the
 * concurrency cap, the outcome hook that feeds passive health and breakers, and a drain mode
 * for shutdown.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ProxyRuntime } from './runtime.js';
import type { ListenerInfo } from './forwarded.js';
import type { ProxyObserver } from './observer.js';
import { serveRequest } from './handler.js';
import { handleUpgrade } from './upgrade.js';
import { validateRequest } from './validation.js';
import { admissionFor } from './admission.js';
import { outcomeObserver } from '../backend/health.js';
import { onClientError, rawReply } from './client-error.js';
import { afterPendingAnswers } from './pending-answers.js';
import { KeepAliveReaper } from './keep-alive.js';
import { continueOnFirstRead } from './expect-continue.js';
import { capConnections } from './connection-counts.js';

export function createProxyServer(runtime: ProxyRuntime, listener: Pick<ListenerInfo, 'proto'>): http.Server {
  const o = runtime.options;
  const info: { proto: ListenerInfo['proto']; port: number } = { proto: listener.proto, port: 0 };
  const rt: ProxyRuntime = { ...runtime, observer: withOutcomes(runtime.observer, outcomeObserver(o)) };
  const admission = admissionFor(o);
  const requestTimeout = o.requestTimeoutMs > 0 ? o.requestTimeoutMs : 0;
  const server = http.createServer(
    {
      // Node refuses a header deadline longer than the whole-request deadline.
      headersTimeout: requestTimeout > 0 ? Math.min(o.requestHeadersTimeoutMs, requestTimeout) : o.requestHeadersTimeoutMs,
      requestTimeout,
      connectionsCheckingInterval: o.connectionsCheckingIntervalMs,
      maxHeaderSize: o.maxRequestHeaderBytes,
      noDelay: true,
      keepAlive: true,
    },
    (req, res) => serveRequest(rt, info, req, res, admission),
  );
  // One past the limit, so the validation can tell "too many" from "exactly the limit": past
  // this count Node drops lines without a word.
  server.maxHeadersCount = o.maxRequestHeaderLines + 1;
  // An idle connection costs about 4 KiB: without a cap, enough of them exhaust memory.
  capConnections(server, o.maxTcpListenerConcurrency);
  // Longer than the ALB's 60 s idle timeout, so the ALB never reuses a connection we just closed.
  // 0 keeps idle connections open for good, as Node's keepAliveTimeout does.
  const keepAlive = o.keepAliveTimeoutMs > 0 ? new KeepAliveReaper(server, o.keepAliveTimeoutMs) : null;
  if (keepAlive === null) server.keepAliveTimeout = 0;
  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (socket.destroyed || !socket.writable) {
      socket.destroy();
      return;
    }
    const refused = validateRequest(req, o);
    if (refused !== null) {
      socket.on('error', () => socket.destroy());
      socket.end(rawReply(refused.status));
      return;
    }
    if (isWebSocket(req)) handleUpgrade(rt, info, req, socket, head);
    else serveIgnoringUpgrade(rt, info, req, socket, admission);
  };
  // An upgrade pipelined behind requests still being answered waits for their answers: Node
  // hands the socket over at once, and a 101 or a relayed answer written now would take the
  // place of theirs.
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    keepAlive?.release(socket);
    afterPendingAnswers(socket, () => {
      try {
        onUpgrade(req, socket, head);
      } catch (err) {
        // as serveRequest does for plain requests: one connection lost, not the process
        rt.log.error('upgrade handling failed', { url: req.url, error: err instanceof Error ? err.message : String(err) });
        socket.destroy();
      }
    });
  });
  // A router never opens tunnels: without this listener Node would just drop the connection.
  server.on('connect', (_req: http.IncomingMessage, socket: Duplex) => {
    keepAlive?.release(socket);
    socket.on('error', () => socket.destroy());
    socket.end(rawReply(405));
  });
  // Handled, so that Node does not answer 100 before the route and its filters have decided.
  server.on('checkContinue', (req: http.IncomingMessage, res: http.ServerResponse) => {
    continueOnFirstRead(req, res);
    serveRequest(rt, info, req, res, admission);
  });
  server.on('clientError', onClientError);
  server.on('listening', () => {
    const address = server.address();
    info.port = address !== null && typeof address === 'object' ? address.port : 0;
  });
  return server;
}

function isWebSocket(req: http.IncomingMessage): boolean {
  const token = req.headers.upgrade;
  return token !== undefined && token.trim().toLowerCase() === 'websocket';
}

/**
 * Any upgrade but WebSocket (h2c, TLS/1.0, made-up tokens) is ignored, as RFC 9110 §7.8 lets a
 * server do: the request is served as plain HTTP/1.1 and the connection closed after the
 * answer, so no backend is ever offered a protocol switch skiff does not relay on purpose.
 * Node has already handed the socket over, so the response is attached to it here. A body
 * cannot be read any more at this point: such requests are refused.
 */
function serveIgnoringUpgrade(rt: ProxyRuntime, info: ListenerInfo, req: http.IncomingMessage, socket: Duplex, admission: ReturnType<typeof admissionFor>): void {
  socket.on('error', () => socket.destroy());
  if (req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0') {
    socket.end(rawReply(400));
    return;
  }
  const res = new http.ServerResponse(req);
  res.shouldKeepAlive = false;
  res.assignSocket(socket as Socket);
  res.on('finish', () => socket.end());
  serveRequest(rt, info, req, res, admission);
}

/**
 * The runtime's observer plus the outcome hook (passive health, circuit breakers). Hooks are
 * bound once here, so the per-request calls stay plain calls.
 */
function withOutcomes(inner: ProxyObserver, outcomes: NonNullable<ProxyObserver['finished']>): ProxyObserver {
  const finished = inner.finished?.bind(inner);
  const composed: ProxyObserver = {
    finished:
      finished === undefined
        ? outcomes
        : (record) => {
            finished(record);
            outcomes(record);
          },
  };
  if (inner.started !== undefined) composed.started = inner.started.bind(inner);
  if (inner.upstreamStarting !== undefined) composed.upstreamStarting = inner.upstreamStarting.bind(inner);
  return composed;
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
