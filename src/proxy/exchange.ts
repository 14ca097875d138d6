/**
 * One proxied HTTP request, from route match to the last byte sent downstream: request filters,
 * backend choice, the undici call streamed both ways, response filters, error replies, and the
 * record handed to metrics and logs.
 *
 * It is its own undici dispatch handler. undici 7's Client speaks the onConnect/onHeaders/
 * onData/onComplete/onError interface natively (the newer controller interface is wrapped per
 * request), and raw header buffers let us copy response headers without building an object.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { LocalReply, OutgoingRequest, RequestView, ResponseState } from '../spec.js';
import type { Route } from '../routing/route.js';
import type { RouteTable } from '../routing/table.js';
import type { Endpoint } from '../backend/backend.js';
import type { ProxyRuntime } from './runtime.js';
import { ObservedContext } from './observed-context.js';
import { inFlight, type InFlightCell } from '../backend/in-flight.js';
import { FieldKind, connectionTokens, fieldKind } from './hop-by-hop.js';
import { BackendQueueTimeoutError, BackendTimeoutError, isConnectionReset, isDialError, isIdempotent, mapUpstreamError } from './errors.js';
import { writeErrorReply, writeLocalReply } from './local-reply.js';
import { IncomingRequestView } from './request-view.js';
import { monotonicNs } from './clock.js';
import { fieldString } from './header-strings.js';

const kExchange = Symbol('skiff.exchange');

type DownstreamResponse = ServerResponse & { [kExchange]?: Exchange };

/** One shared listener instead of a closure per request. */
function onDownstreamClose(this: DownstreamResponse): void {
  this[kExchange]?.downstreamClosed();
}

/**
 * The client's socket went idle for the write timeout while a response waited on it. Node's
 * server emits 'timeout' on the response and destroys the socket only when nobody listens: this
 * listener (added only to responses that had to wait) names the reason and destroys it itself.
 */
function onDownstreamTimeout(this: DownstreamResponse): void {
  const ex = this[kExchange];
  if (ex !== undefined) ex.writeTimedOut();
  else this.destroy();
}

export class Exchange extends ObservedContext implements Dispatcher.DispatchHandler {
  readonly res: DownstreamResponse;
  /** The concurrency slot this request holds, given back when the response is done. */
  admission: { leave(): void } | null = null;
  /** The request has a body to stream upstream (Transfer-Encoding, or a Content-Length above 0). */
  hasBody = false;
  private readonly table: RouteTable;
  private abortUpstream: ((err: Error) => void) | null = null;
  private resumeUpstream: (() => void) | null = null;
  private retried = false;
  private timer: NodeJS.Timeout | null = null;
  /** Armed only when the endpoint's pool was full at dispatch: the bounded wait for a connection. */
  private queueTimer: NodeJS.Timeout | null = null;
  /**
   * The wait for a pooled connection ran out and the client has its 503. undici still holds the
   * request in its queue; it is aborted the moment it is given a connection.
   */
  private queueGaveUp = false;
  /** The client's socket idle timer was set to the write timeout (a write waited on the client). */
  private writeGuarded = false;
  private pendingAbort: Error | null = null;
  /** The in-flight counter of the endpoint called, held while the upstream call runs. */
  private load: InFlightCell | null = null;
  /**
   * A response filter gave the backend's response a body of its own (inlineContentIfStatus):
   * that body was sent, and the backend's is read and dropped.
   */
  private replacedBody = false;

  constructor(
    rt: ProxyRuntime,
    table: RouteTable,
    req: IncomingMessage,
    res: ServerResponse,
    view: RequestView,
    route: Route,
    params: Readonly<Record<string, string>> | null,
    outgoing: OutgoingRequest,
    startNs: bigint,
  ) {
    super(rt, req, startNs, view, route, params, outgoing);
    this.table = table;
    this.res = res;
    this.res[kExchange] = this;
    // `on`, not `once`: the response is per request, and once() would allocate a wrapper.
    res.on('close', onDownstreamClose);
  }

  // --- request phase outcomes ------------------------------------------------------------

  protected answerLocally(reply: LocalReply): void {
    this.respondLocally({
      status: reply.status,
      headers: reply.headers === undefined ? {} : { ...reply.headers },
      body: reply.body,
    });
  }

  protected filterFailed(err: unknown): void {
    if (this.done) return;
    this.rt.log.error('filter failed', { route: this.route.id, error: String(err) });
    this.fail(500, 'filter');
  }

  protected requestFiltersDone(): void {
    if (this.done) return;
    const backend = this.route.backend;
    switch (backend.type) {
      case 'network':
        this.dispatch(backend.endpoint);
        return;
      case 'lb':
        this.dispatch(backend.balancer.pick(this.request, this.hashKey(), undefined, this.balanceFactor()));
        return;
      case 'shunt':
        this.respondLocally({ status: 404, headers: {}, body: undefined });
        return;
      case 'loopback':
        this.loopback();
        return;
      case 'dynamic':
        this.dispatchDynamic();
        return;
    }
  }

  private loopback(): void {
    if (++this.loopbacks > this.rt.options.maxLoopbacks) {
      this.rt.log.warn('too many loopbacks', { route: this.route.id });
      this.fail(500, 'loopback');
      return;
    }
    const o = this.outgoing;
    const host = typeof o.headers.host === 'string' ? o.headers.host : this.request.host;
    const view = new IncomingRequestView({
      method: o.method,
      host,
      rawPath: o.path,
      rawQuery: o.query,
      headers: o.headers,
      remoteAddress: this.request.remoteAddress,
      clientIp: this.request.clientIp,
    });
    const match = this.table.lookup(view);
    if (match === null) {
      this.request = view;
      this.fail(this.rt.options.defaultStatus, 'no_route');
      return;
    }
    this.enterRoute(view, match.route, match.params);
  }

  private dispatchDynamic(): void {
    const endpoint = this.dynamicEndpoint();
    if (endpoint === null) this.fail(502, 'dynamic');
    else this.dispatch(endpoint);
  }

  // --- the upstream call -------------------------------------------------------------------

  private dispatch(endpoint: Endpoint): void {
    if (this.done) return;
    const o = this.outgoing;
    const headers = o.headers;
    if (!o.preserveHost && headers.host === this.originalHost) headers.host = endpoint.authority;
    this.endpoint = endpoint;
    const load = inFlight.cellOf(endpoint);
    load.n++;
    this.load = load;
    // Past the pool's size the request waits in undici's queue, which has no bound of its own.
    // Only then a timer: the common case allocates nothing here.
    const opts = this.rt.options;
    const pool = opts.maxConnectionsPerEndpoint;
    if (load.n > pool && opts.backendQueueTimeoutMs > 0) {
      // A request that gave up waiting stays in undici's queue until a connection frees (and is
      // counted until then): while slow clients hold the pool for minutes, those would pile up
      // without end. At most as many wait as the pool has connections; the rest are refused now.
      if (load.n > 2 * pool) {
        load.n--;
        this.load = null;
        this.refuseQueued();
        return;
      }
      if (this.queueTimer === null) this.queueTimer = setTimeout(onQueueTimeout, opts.backendQueueTimeoutMs, this);
    }
    if (this.upstreamStartNs === 0n) {
      this.upstreamStartNs = monotonicNs();
      this.rt.observer.upstreamStarting?.(this, headers);
      if (o.timeoutMs !== undefined) this.timer = setTimeout(onBackendTimeout, o.timeoutMs, this);
    }
    this.rt.agent.dispatch(
      {
        origin: endpoint.origin,
        path: o.query === '' ? o.path : `${o.path}?${o.query}`,
        method: o.method,
        headers: flatHeaders(headers) as string[],
        // headersTimeout and bodyTimeout are the agent's (src/backend/upstream.ts), set from the
        // same options: repeating them here would only cost undici a check per request.
        body: this.hasBody ? this.req : null,
      },
      this,
    );
  }

  onConnect(abort: (err?: Error) => void): void {
    if (this.queueTimer !== null) {
      clearTimeout(this.queueTimer);
      this.queueTimer = null;
    }
    this.abortUpstream = abort as (err: Error) => void;
    if (this.pendingAbort !== null) abort(this.pendingAbort);
  }

  /** hot path: copies the backend's headers minus hop-by-hop fields, straight into writeHead. */
  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    // 1xx (102, 103): skipped, the client waits for the final answer. A 100 never gets here
    // (src/backend/interim-response.ts drops it), and the client's 100 Continue is skiff's own.
    if (statusCode < 200) return true;
    if (this.done) return false;
    this.resumeUpstream = resume;
    const res = this.res;
    const flat: string[] = [];
    let named: Set<string> | null = null;
    let hasServer = false;
    for (let i = 0; i < rawHeaders.length; i += 2) {
      const name = fieldString(rawHeaders[i]!);
      const kind = fieldKind(name);
      if (kind === FieldKind.plain || kind === FieldKind.expect) {
        flat.push(name, fieldString(rawHeaders[i + 1]!));
        continue;
      }
      if (kind === FieldKind.connection) {
        named = connectionTokens(fieldString(rawHeaders[i + 1]!));
        continue;
      }
      if (kind === FieldKind.hopByHop) continue;
      hasServer = true;
      flat.push(name, fieldString(rawHeaders[i + 1]!));
    }
    if (named !== null) {
      for (let i = flat.length - 2; i >= 0; i -= 2) if (named.has(flat[i]!.toLowerCase())) flat.splice(i, 2);
    }
    if (!hasServer) flat.push('server', this.rt.options.serverName);
    if (this.rt.draining()) flat.push('connection', 'close');
    this.status = statusCode;
    if (this.responseChain === null) {
      res.writeHead(statusCode, flat);
      return true;
    }
    const response: ResponseState = { status: statusCode, headers: toRecord(flat), body: undefined };
    const pending = this.runResponseFilters(response);
    if (pending === undefined) {
      this.writeFilteredHead(response);
      return true;
    }
    pending.then(
      () => {
        if (this.done) return;
        this.writeFilteredHead(response);
        resume();
      },
      (err: unknown) => this.abortWith(err),
    );
    return false;
  }

  private writeFilteredHead(response: ResponseState): void {
    this.status = response.status;
    if (response.body !== undefined) {
      // The upstream body is still read to its end (undici keeps the connection) but not sent.
      this.replacedBody = true;
      writeLocalReply(this.res, response.status, response.headers, response.body, this.rt.options.serverName);
      this.bytes += Buffer.byteLength(response.body);
      return;
    }
    this.res.writeHead(response.status, response.headers);
  }

  /** hot path: the common case is one write that the socket takes at once. */
  onData(chunk: Buffer): boolean {
    if (this.replacedBody) return true;
    this.bytes += chunk.length;
    if (this.res.write(chunk)) return true;
    this.res.once('drain', this.resumeUpstream!);
    // The client is not keeping up. undici's body timeout is off while it is paused, so without
    // this a client that never reads would hold the backend connection for good. The socket's own
    // idle timer (reset by every byte the client takes) cuts it after the write timeout; Node's
    // server destroys a socket whose timeout nobody handles, and the close aborts upstream.
    if (!this.writeGuarded) this.guardWrites();
    return false;
  }

  private guardWrites(): void {
    const ms = this.rt.options.writeTimeoutMs;
    const socket = this.res.socket;
    if (ms <= 0 || socket === null) return;
    this.writeGuarded = true;
    socket.setTimeout(ms);
    this.res.on('timeout', onDownstreamTimeout);
  }

  /** The client took no byte for the write timeout: cut it, which aborts the backend request. */
  writeTimedOut(): void {
    if (!this.done && this.failure === '') this.failure = 'write_timeout';
    this.rt.log.debug('client did not read the response', { route: this.route.id, timeoutMs: this.rt.options.writeTimeoutMs });
    this.res.destroy();
  }

  onComplete(): void {
    this.upstreamDone();
    if (!this.replacedBody) this.res.end();
  }

  onError(err: Error): void {
    this.upstreamDone();
    if (this.queueGaveUp) return;
    // After a replaced body, the reply is complete: a failure reading the dropped body is no
    // concern of the client's.
    if (this.done || this.replacedBody) return;
    const endpoint = this.endpoint;
    if (!this.retried && !this.res.headersSent && !this.hasBody) {
      // One retry, only when nothing can have reached the backend twice: a failed dial (any
      // request without a body; another endpoint of a load-balanced backend), or a connection
      // reset before any answer (idempotent requests only: the usual stale pooled connection).
      const dial = isDialError(err);
      if (dial || (isConnectionReset(err) && isIdempotent(this.outgoing.method))) {
        this.retried = true;
        const backend = this.route.backend;
        const next =
          dial && backend.type === 'lb'
            ? backend.balancer.pick(this.request, this.hashKey(), endpoint ?? undefined, this.balanceFactor())
            : endpoint!;
        this.rt.log.debug('retrying once', { route: this.route.id, endpoint: endpoint?.origin, code: (err as { code?: string }).code });
        this.abortUpstream = null;
        this.dispatch(next);
        return;
      }
    }
    const mapped = mapUpstreamError(err);
    this.rt.log.warn('backend request failed', {
      route: this.route.id,
      endpoint: endpoint?.origin,
      code: (err as { code?: string }).code,
      error: err.message,
    });
    if (this.res.headersSent) {
      // The status line is gone: the only honest signal left is a truncated response.
      this.failure = mapped.reason;
      this.res.destroy(err);
      return;
    }
    this.fail(mapped.status, mapped.reason);
  }

  private upstreamDone(): void {
    if (this.load !== null) {
      this.load.n--;
      this.load = null;
    }
    if (this.queueTimer !== null) {
      clearTimeout(this.queueTimer);
      this.queueTimer = null;
    }
    this.upstreamEndNs = monotonicNs();
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  /** The pool stayed full for the whole queue timeout: a fast 503 instead of an unbounded wait. */
  queueTimedOut(): void {
    this.queueTimer = null;
    if (this.done || this.abortUpstream !== null) return;
    this.queueGaveUp = true;
    this.pendingAbort = new BackendQueueTimeoutError(this.rt.options.backendQueueTimeoutMs);
    this.refuseQueued();
  }

  private refuseQueued(): void {
    if (this.done) return;
    // debug: under an attack this is every request to the backend; metrics and the access log
    // count them by the reason.
    this.rt.log.debug('no backend connection free', { route: this.route.id, endpoint: this.endpoint?.origin });
    this.failure = 'queue';
    this.status = 503;
    // A request body not yet read stays on the connection: close it rather than parse the rest.
    writeErrorReply(this.res, 503, this.rt.options.serverName, this.hasBody || this.rt.draining());
  }

  backendTimedOut(): void {
    this.timer = null;
    this.abortWith(new BackendTimeoutError(this.outgoing.timeoutMs ?? 0));
  }

  private abortWith(err: unknown): void {
    const error = err instanceof Error ? err : new Error(String(err));
    if (this.abortUpstream !== null) this.abortUpstream(error);
    else this.pendingAbort = error;
  }

  // --- downstream side ---------------------------------------------------------------------

  /** Local replies (shunt, serve(), errors) still pass through the response filters. */
  private respondLocally(response: ResponseState): void {
    if (this.done) return;
    const pending = this.runResponseFilters(response);
    if (pending === undefined) this.writeLocal(response);
    else pending.then(() => this.writeLocal(response), (err: unknown) => this.filterFailedLate(err));
  }

  private writeLocal(response: ResponseState): void {
    if (this.done) return;
    this.status = response.status;
    if (this.rt.draining()) response.headers.connection = 'close';
    writeLocalReply(this.res, response.status, response.headers, response.body, this.rt.options.serverName);
    this.bytes += response.body === undefined ? 0 : Buffer.byteLength(response.body);
  }

  private filterFailedLate(err: unknown): void {
    this.rt.log.error('response filter failed', { route: this.route.id, error: String(err) });
    this.fail(500, 'filter');
  }

  /** An error reply from skiff itself. */
  private fail(status: number, reason: string): void {
    if (this.done) return;
    this.failure = reason;
    this.status = status;
    writeErrorReply(this.res, status, this.rt.options.serverName, this.rt.draining());
  }

  /** Called once when the downstream response is finished or the client went away. */
  downstreamClosed(): void {
    if (this.done) return;
    this.done = true;
    this.endNs = monotonicNs();
    if (!this.res.writableFinished) {
      // The client left before the response was complete.
      if (this.status === 0 || !this.res.headersSent) this.status = 499;
      if (this.failure === '') this.failure = 'client_gone';
      this.abortWith(new Error('client closed the connection'));
    }
    if (this.writeGuarded) {
      // Leave the connection's idle timer as it was before the response waited on the client.
      const socket = this.res.socket;
      if (socket !== null && !socket.destroyed) socket.setTimeout(0);
    }
    this.res[kExchange] = undefined;
    this.admission?.leave();
    this.rt.router.release(this.table);
    this.rt.observer.finished?.(this);
  }
}

/**
 * hot path: undici reads a flat [name, value, ...] list in one indexed loop; an object costs it a
 * prototype check, an Object.keys array and a keyed load per name on whatever shape the filters
 * left. Values may be arrays (repeated fields): undici accepts those inside the list too.
 */
function flatHeaders(headers: Record<string, string | string[]>): (string | string[])[] {
  const flat: (string | string[])[] = [];
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) flat.push(name, value);
  }
  return flat;
}

function onQueueTimeout(ex: Exchange): void {
  ex.queueTimedOut();
}

function onBackendTimeout(ex: Exchange): void {
  ex.backendTimedOut();
}

function toRecord(flat: string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (let i = 0; i < flat.length; i += 2) {
    const name = flat[i]!.toLowerCase();
    const value = flat[i + 1]!;
    const prev = out[name];
    if (prev === undefined) out[name] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else out[name] = [prev, value];
  }
  return out;
}
