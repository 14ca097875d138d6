/**
 * Protocol upgrades (WebSocket): the request is routed and filtered like any other, then the
 * backend's 101 is relayed and the two sockets are piped together. A backend that declines the
 * upgrade gets its response relayed and the connection closed.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { LocalReply } from '../spec.js';
import type { Endpoint } from '../backend/backend.js';
import type { ProxyRuntime } from './runtime.js';
import type { ListenerInfo } from './forwarded.js';
import { RequestContext } from './context.js';
import { normalizePeer } from './forwarded.js';
import { outgoingOf, viewOf } from './handler.js';
import { connectionTokens, isHopByHop } from './hop-by-hop.js';
import { mapUpstreamError } from './errors.js';
import { statusText } from './local-reply.js';

export function handleUpgrade(rt: ProxyRuntime, listener: ListenerInfo, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  socket.on('error', () => socket.destroy());
  const peer = normalizePeer(req.socket.remoteAddress);
  const view = viewOf(rt, req, peer);
  if (view === null) {
    writeRaw(socket, 400, rt.options.serverName);
    return;
  }
  // Upgraded connections can live for hours: they hold no table once routed.
  const table = rt.router.acquire();
  const match = table.lookup(view);
  rt.router.release(table);
  if (match === null) {
    writeRaw(socket, rt.options.defaultStatus, rt.options.serverName);
    return;
  }
  const outgoing = outgoingOf(rt, req, view, listener);
  new UpgradeExchange(rt, req, socket, head, view, match.route, match.params, outgoing).start();
}

class UpgradeExchange extends RequestContext implements Dispatcher.DispatchHandler {
  private abortUpstream: ((err: Error) => void) | null = null;
  private relaying = false;

  constructor(
    private readonly rt: ProxyRuntime,
    private readonly req: IncomingMessage,
    private readonly socket: Duplex,
    private readonly head: Buffer,
    ...rest: ConstructorParameters<typeof RequestContext>
  ) {
    super(...rest);
    socket.once('close', () => {
      this.done = true;
      this.abortUpstream?.(new Error('client closed the connection'));
    });
  }

  start(): void {
    this.runRequestFilters(0);
  }

  protected answerLocally(reply: LocalReply): void {
    this.done = true;
    const body = reply.body ?? '';
    const lines = [`HTTP/1.1 ${reply.status} ${statusText(reply.status)}`];
    for (const [name, value] of Object.entries(reply.headers ?? {})) {
      for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
    }
    lines.push(`content-length: ${Buffer.byteLength(body)}`, 'connection: close', '', '');
    this.socket.end(Buffer.concat([Buffer.from(lines.join('\r\n'), 'latin1'), Buffer.from(body)]));
  }

  protected filterFailed(err: unknown): void {
    this.rt.log.error('filter failed', { route: this.route.id, error: String(err) });
    this.fail(500);
  }

  protected requestFiltersDone(): void {
    if (this.done) return;
    const backend = this.route.backend;
    if (backend.type === 'network') this.dispatch(backend.endpoint);
    else if (backend.type === 'lb') this.dispatch(backend.balancer.pick(this.request, undefined, undefined));
    else if (backend.type === 'shunt') this.fail(404);
    else this.fail(502);
  }

  private dispatch(endpoint: Endpoint): void {
    const o = this.outgoing;
    if (!o.preserveHost && o.headers.host === this.originalHost) o.headers.host = endpoint.authority;
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
      this.fail(502);
      return;
    }
    this.relaying = true;
    lines.push('', '');
    const client = this.socket;
    client.write(lines.join('\r\n'), 'latin1');
    if (this.head.length > 0) upstream.write(this.head);
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
    this.relaying = true;
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
    return this.socket.write(chunk);
  }

  onComplete(): void {
    this.socket.end();
  }

  onError(err: Error): void {
    if (this.relaying) {
      this.socket.destroy();
      return;
    }
    this.rt.log.warn('backend upgrade failed', { route: this.route.id, error: err.message });
    this.fail(mapUpstreamError(err).status);
  }

  private fail(status: number): void {
    if (this.done) return;
    this.done = true;
    writeRaw(this.socket, status, this.rt.options.serverName);
  }
}

function writeRaw(socket: Duplex, status: number, serverName: string): void {
  const body = statusText(status) + '\n';
  socket.end(
    `HTTP/1.1 ${status} ${statusText(status)}\r\ncontent-type: text/plain; charset=utf-8\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nserver: ${serverName}\r\nconnection: close\r\n\r\n${body}`,
  );
}
