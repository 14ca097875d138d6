/**
 * Protocol upgrades (WebSocket): the request is routed and filtered like any other, then the
 * backend's 101 is relayed and the two sockets are piped together. A backend that declines the
 * upgrade gets its response relayed and the connection closed.
 *
 * Observers hear of upgrades as of any request: started after the lookup, upstreamStarting
 * before the backend call (trace context goes upstream), finished once. A relayed tunnel
 * finishes when it closes, with status 101, its lifetime as duration and the bytes sent to the
 * client; a refused or failed upgrade finishes when its answer is written.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { LocalReply } from '../spec.js';
import type { Endpoint } from '../backend/backend.js';
import type { ProxyRuntime } from './runtime.js';
import type { ListenerInfo } from './forwarded.js';
import type { RequestContext } from './context.js';
import { ObservedContext } from './observed-context.js';
import { normalizePeer } from './forwarded.js';
import { answerObserved, outgoingOf, viewOf } from './handler.js';
import { connectionTokens, isHopByHop } from './hop-by-hop.js';
import { mapUpstreamError } from './errors.js';
import { statusText } from './local-reply.js';
import { monotonicNs } from './clock.js';

export function handleUpgrade(rt: ProxyRuntime, listener: ListenerInfo, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const startNs = monotonicNs();
  socket.on('error', () => socket.destroy());
  const peer = normalizePeer(req.socket.remoteAddress);
  const view = viewOf(rt, req, peer);
  if (view === null) {
    answerObserved(rt, req, startNs, 400, 'bad_target', null, () => writeRaw(socket, 400, rt.options.serverName));
    return;
  }
  // Upgraded connections can live for hours: they hold no table once routed.
  const table = rt.router.acquire();
  const match = table.lookup(view);
  rt.router.release(table);
  if (match === null) {
    const status = rt.options.defaultStatus;
    answerObserved(rt, req, startNs, status, 'no_route', view, () => writeRaw(socket, status, rt.options.serverName));
    return;
  }
  const outgoing = outgoingOf(rt, req, view, listener);
  new UpgradeExchange(rt, req, socket, head, startNs, view, match.route, match.params, outgoing).start();
}

class UpgradeExchange extends ObservedContext implements Dispatcher.DispatchHandler {
  private abortUpstream: ((err: Error) => void) | null = null;
  private relaying = false;
  private finished = false;

  constructor(
    rt: ProxyRuntime,
    req: IncomingMessage,
    private readonly socket: Duplex,
    private readonly head: Buffer,
    startNs: bigint,
    ...rest: ConstructorParameters<typeof RequestContext>
  ) {
    super(rt, req, startNs, ...rest);
    socket.once('close', () => {
      if (!this.relaying && this.status === 0) {
        // The client left before any answer.
        this.status = 499;
        this.failure = 'client_gone';
      }
      this.done = true;
      this.abortUpstream?.(new Error('client closed the connection'));
      this.finish();
    });
  }

  /** Tells the observers once, when the answer or the tunnel is over. */
  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.endNs = monotonicNs();
    if (this.upstreamStartNs !== 0n && this.upstreamEndNs === 0n) this.upstreamEndNs = this.endNs;
    this.rt.observer.finished?.(this);
  }

  protected answerLocally(reply: LocalReply): void {
    this.done = true;
    this.status = reply.status;
    const body = reply.body ?? '';
    const lines = [`HTTP/1.1 ${reply.status} ${statusText(reply.status)}`];
    for (const [name, value] of Object.entries(reply.headers ?? {})) {
      for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
    }
    lines.push(`content-length: ${Buffer.byteLength(body)}`, 'connection: close', '', '');
    const bytes = Buffer.from(body);
    this.bytes = bytes.length;
    this.socket.end(Buffer.concat([Buffer.from(lines.join('\r\n'), 'latin1'), bytes]));
    this.finish();
  }

  protected filterFailed(err: unknown): void {
    this.rt.log.error('filter failed', { route: this.route.id, error: String(err) });
    this.fail(500, 'filter');
  }

  protected requestFiltersDone(): void {
    if (this.done) return;
    const backend = this.route.backend;
    if (backend.type === 'network') this.dispatch(backend.endpoint);
    // the same endpoint as the session's plain requests when a filter keys the hash
    else if (backend.type === 'lb') this.dispatch(backend.balancer.pick(this.request, this.hashKey(), undefined, this.balanceFactor()));
    else if (backend.type === 'shunt') this.fail(404, '');
    else if (backend.type === 'dynamic') {
      const endpoint = this.dynamicEndpoint();
      if (endpoint === null) this.fail(502, 'dynamic');
      else this.dispatch(endpoint);
    } else this.fail(502, 'upgrade_backend');
  }

  private dispatch(endpoint: Endpoint): void {
    const o = this.outgoing;
    if (!o.preserveHost && o.headers.host === this.originalHost) o.headers.host = endpoint.authority;
    this.endpoint = endpoint;
    this.upstreamStartNs = monotonicNs();
    this.rt.observer.upstreamStarting?.(this, o.headers);
    this.rt.agent.dispatch(
      {
        origin: endpoint.origin,
        path: o.query === '' ? o.path : `${o.path}?${o.query}`,
        method: o.method,
        headers: o.headers,
        upgrade: String(this.req.headers.upgrade ?? 'websocket'),
        headersTimeout: this.rt.options.headersTimeoutMs,
      },
      this,
    );
  }

  onConnect(abort: (err?: Error) => void): void {
    this.abortUpstream = abort as (err: Error) => void;
    if (this.done) abort(new Error('client closed the connection'));
  }

  onUpgrade(statusCode: number, rawHeaders: Buffer[] | string[] | null, upstream: Duplex): void {
    this.upstreamEndNs = monotonicNs();
    if (this.done) {
      upstream.destroy();
      return;
    }
    const lines = [`HTTP/1.1 ${statusCode} ${statusText(statusCode)}`];
    let switchedTo = '';
    for (let i = 0; rawHeaders !== null && i < rawHeaders.length; i += 2) {
      const name = rawHeaders[i]!.toString('latin1');
      const value = rawHeaders[i + 1]!.toString('latin1');
      if (name.toLowerCase() === 'upgrade') switchedTo = value.trim().toLowerCase();
      lines.push(`${name}: ${value}`);
    }
    // As Go's reverse proxy does: a backend that switches to another protocol than the one asked
    // for is not relayed (the client would speak one protocol to a peer speaking another).
    const asked = String(this.req.headers.upgrade ?? '').trim().toLowerCase();
    if (switchedTo !== asked) {
      this.rt.log.warn('backend switched to another protocol', { route: this.route.id, asked, switchedTo });
      upstream.destroy();
      this.fail(502, 'upgrade_mismatch');
      return;
    }
    this.relaying = true;
    this.status = statusCode;
    lines.push('', '');
    const client = this.socket;
    client.write(lines.join('\r\n'), 'latin1');
    if (this.head.length > 0) upstream.write(this.head);
    upstream.on('data', (chunk: Buffer) => {
      this.bytes += chunk.length;
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.pipe(client);
    client.pipe(upstream);
    // Both server-side sockets allow half-open connections; a tunnel either side ends is over,
    // so end both (after the piped bytes are flushed) rather than wait on the other side.
    const endBoth = (): void => {
      client.end();
      upstream.end();
    };
    upstream.once('end', endBoth);
    client.once('end', endBoth);
    upstream.once('close', () => client.destroy());
    client.once('close', () => upstream.destroy());
    this.rt.tunnels.add(client);
    client.once('close', () => this.rt.tunnels.delete(client));
  }

  /** The backend answered without switching protocols: relay its answer, then close. */
  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    if (statusCode < 200) return true;
    this.upstreamEndNs = monotonicNs();
    this.relaying = true;
    this.status = statusCode;
    const lines = [`HTTP/1.1 ${statusCode} ${statusText(statusCode)}`];
    let named: Set<string> | null = null;
    const kept: string[] = [];
    for (let i = 0; i < rawHeaders.length; i += 2) {
      const name = rawHeaders[i]!.toString('latin1');
      const lower = name.toLowerCase();
      if (lower === 'connection') named = connectionTokens(rawHeaders[i + 1]!.toString('latin1'));
      if (isHopByHop(lower)) continue;
      kept.push(name, rawHeaders[i + 1]!.toString('latin1'));
    }
    for (let i = 0; i < kept.length; i += 2) {
      if (named === null || !named.has(kept[i]!.toLowerCase())) lines.push(`${kept[i]}: ${kept[i + 1]}`);
    }
    lines.push('connection: close', '', '');
    this.socket.write(lines.join('\r\n'), 'latin1');
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.bytes += chunk.length;
    return this.socket.write(chunk);
  }

  onComplete(): void {
    this.socket.end();
    this.finish();
  }

  onError(err: Error): void {
    if (this.relaying) {
      this.socket.destroy();
      return;
    }
    this.rt.log.warn('backend upgrade failed', { route: this.route.id, error: err.message });
    const mapped = mapUpstreamError(err);
    this.fail(mapped.status, mapped.reason);
  }

  /** An error answer from skiff itself; `failure` is the stable reason for metrics and logs. */
  private fail(status: number, failure: string): void {
    if (this.done) return;
    this.done = true;
    this.status = status;
    this.failure = failure;
    this.bytes = writeRaw(this.socket, status, this.rt.options.serverName);
    this.finish();
  }
}

/** Writes a plain-text error answer and ends the socket; returns the body's length. */
function writeRaw(socket: Duplex, status: number, serverName: string): number {
  const body = statusText(status) + '\n';
  socket.end(
    `HTTP/1.1 ${status} ${statusText(status)}\r\ncontent-type: text/plain; charset=utf-8\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nserver: ${serverName}\r\nconnection: close\r\n\r\n${body}`,
  );
  return Buffer.byteLength(body);
}
