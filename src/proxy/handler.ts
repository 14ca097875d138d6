/**
 * The entry of every proxied request: check it (src/proxy/validation.ts), derive the client
 * address, build the request view, look up the route, admit it under the concurrency cap,
 * prepare the outgoing request and hand over to an Exchange. Requests that are refused or that
 * no route matches are answered here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProxyRuntime } from './runtime.js';
import type { ListenerInfo } from './forwarded.js';
import type { ExchangeRecord } from './observer.js';
import type { OutgoingRequest, RequestView } from '../spec.js';
import { normalizePeer, setForwardedHeaders } from './forwarded.js';
import { upstreamRequestHeaders } from './hop-by-hop.js';
import { IncomingRequestView } from './request-view.js';
import { Exchange } from './exchange.js';
import { writeErrorReply } from './local-reply.js';
import { isValidAuthority, validateRequest } from './validation.js';
import type { Admission } from './admission.js';
import { randomBytes } from 'node:crypto';
import { monotonicNs } from './clock.js';
import { parserRefused } from './client-error.js';
import { enterPipeline, leavePipeline } from './pipeline.js';

export interface ParsedTarget {
  host: string;
  rawPath: string;
  rawQuery: string;
}

/**
 * Splits the request-target. Absolute-form (`GET http://a.example/x`) routes by the target's
 * authority, as RFC 9112 §3.2.2 requires, and that authority becomes the Host sent upstream;
 * an authority that is not a plain host[:port] (userinfo, spaces) is refused, and so is
 * anything else that is not origin-form (`*`, authority-form). Fragments never get here: the
 * validation refuses them.
 */
export function parseTarget(url: string, hostHeader: string | undefined): ParsedTarget | null {
  let host = hostHeader ?? '';
  let target = url;
  if (target.charCodeAt(0) !== 47 /* / */) {
    if (!/^https?:\/\//i.test(target)) return null;
    const start = target.indexOf('//') + 2;
    let end = start;
    while (end < target.length) {
      const c = target.charCodeAt(end);
      if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */) break;
      end++;
    }
    host = target.slice(start, end);
    if (!isValidAuthority(host)) return null;
    target = target.slice(end);
    if (target.charCodeAt(0) !== 47) target = '/' + target;
  }
  const hash = target.indexOf('#');
  if (hash !== -1) target = target.slice(0, hash);
  const q = target.indexOf('?');
  return q === -1
    ? { host, rawPath: target, rawQuery: '' }
    : { host, rawPath: target.slice(0, q), rawQuery: target.slice(q + 1) };
}

/**
 * This process's Via pseudonym (RFC 9110 §7.6.3). It is sent on every forwarded request; a
 * request that already carries it has come round to us again (a route whose backend is this
 * proxy) and is answered 508 instead of looping until sockets run out.
 */
const viaToken = `skiff-${randomBytes(4).toString('hex')}`;
const viaValue = `1.1 ${viaToken}`;

/** Builds the view predicates see. Returns null for a target that cannot be routed. */
export function viewOf(rt: ProxyRuntime, req: IncomingMessage, peer: string, headers = req.headers): IncomingRequestView | null {
  const url = req.url ?? '/';
  // hot path: origin-form without a fragment (validation refused those) splits in place.
  if (url.charCodeAt(0) === 47 /* / */) {
    const q = url.indexOf('?');
    return new IncomingRequestView({
      method: req.method ?? 'GET',
      host: headers.host ?? '',
      rawPath: q === -1 ? url : url.slice(0, q),
      rawQuery: q === -1 ? '' : url.slice(q + 1),
      headers,
      remoteAddress: peer,
      clientIp: rt.clientIp.resolve(peer, headers['x-forwarded-for']),
    });
  }
  const target = parseTarget(url, headers.host);
  if (target === null) return null;
  return new IncomingRequestView({
    method: req.method ?? 'GET',
    host: target.host,
    rawPath: target.rawPath,
    rawQuery: target.rawQuery,
    headers,
    remoteAddress: peer,
    clientIp: rt.clientIp.resolve(peer, headers['x-forwarded-for']),
  });
}

/** Outgoing request as filters start from it: hop-by-hop removed, X-Forwarded-* set. */
export function outgoingOf(rt: ProxyRuntime, req: IncomingMessage, view: RequestView, listener: ListenerInfo): OutgoingRequest {
  const headers = upstreamRequestHeaders(view.headers);
  if (view.host !== '') headers.host = view.host;
  const via = headers.via;
  headers.via = via === undefined ? viaValue : `${Array.isArray(via) ? via.join(', ') : via}, ${viaValue}`;
  const trusted = rt.clientIp.trusts(view.remoteAddress);
  // The listener's own port, once it is known, spares a getsockname per request.
  const port = listener.port > 0 ? listener.port : (req.socket.localPort ?? 0);
  setForwardedHeaders(headers, view.remoteAddress, trusted, listener, port, rt.options.xff);
  if (!trusted) dropClientForwarding(headers);
  return {
    method: view.method,
    path: view.rawPath,
    query: view.rawQuery,
    headers,
    preserveHost: rt.options.preserveHost,
    backendUrl: undefined,
    timeoutMs: undefined,
  };
}

/**
 * Claims about the client only a trusted proxy may make; from anyone else they are dropped, so
 * a backend that reads them (auth services, URL builders) cannot be fooled by the client.
 * hot path: property reads; a delete only when the client sent one.
 */
function dropClientForwarding(headers: Record<string, string | string[]>): void {
  if (headers['x-real-ip'] !== undefined) delete headers['x-real-ip'];
  if (headers.forwarded !== undefined) delete headers.forwarded;
  if (headers['x-forwarded-prefix'] !== undefined) delete headers['x-forwarded-prefix'];
}

/**
 * The listener's entry: handleRequest, with a failure of skiff's own code (or of a plugin's
 * predicate) costing one 500 instead of the process and every connection on it.
 */
export function serveRequest(rt: ProxyRuntime, listener: ListenerInfo, req: IncomingMessage, res: ServerResponse, admission: Admission | null): void {
  try {
    handleRequest(rt, listener, req, res, admission);
  } catch (err) {
    requestCrashed(rt, req, res, err);
  }
}

let lastCrashLoggedAt = 0;

function requestCrashed(rt: ProxyRuntime, req: IncomingMessage, res: ServerResponse, err: unknown): void {
  const now = Date.now();
  // at most one line a minute: a bug hit by every request must not flood the log
  if (now - lastCrashLoggedAt >= 60_000) {
    lastCrashLoggedAt = now;
    rt.log.error('request handling failed', { method: req.method, url: req.url, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
  try {
    if (res.headersSent) res.destroy();
    else writeErrorReply(res, 500, rt.options.serverName, true);
  } catch {
    req.socket.destroy();
  }
}

/**
 * hot path: everything up to the first filter is synchronous. `admission` is the concurrency
 * cap (null: none); the listener passes it.
 */
export function handleRequest(
  rt: ProxyRuntime,
  listener: ListenerInfo,
  req: IncomingMessage,
  res: ServerResponse,
  admission: Admission | null = null,
): void {
  if (res.socket === null) {
    awaitTurn(rt, listener, req, res, admission);
    return;
  }
  const startNs = monotonicNs();
  // read once: `req.headers` is a getter, and each read costs a few megamorphic loads
  const headers = req.headers;
  const refused = validateRequest(req, rt.options, headers);
  if (refused !== null) {
    reject(rt, req, res, startNs, refused.status, refused.reason, null);
    return;
  }
  const via = headers.via;
  if (via !== undefined && via.indexOf(viaToken) !== -1) {
    reject(rt, req, res, startNs, 508, 'loop', null);
    return;
  }
  const peer = normalizePeer(req.socket.remoteAddress);
  const view = viewOf(rt, req, peer, headers);
  if (view === null) {
    reject(rt, req, res, startNs, 400, 'bad_target', null);
    return;
  }
  // The request finishes on the table it started with, even if a new one is swapped in.
  const table = rt.router.acquire();
  let match;
  try {
    match = table.lookup(view);
  } catch (err) {
    // A throwing predicate (a plugin's) must not keep the table from ever being closed.
    rt.router.release(table);
    throw err;
  }
  if (match === null) {
    rt.router.release(table);
    reject(rt, req, res, startNs, rt.options.defaultStatus, 'no_route', view);
    return;
  }
  if (admission !== null) {
    if (!admission.tryEnter()) {
      rt.router.release(table);
      reject(rt, req, res, startNs, 503, 'overload', view);
      return;
    }
  }
  const hasBody = headers['transfer-encoding'] !== undefined || (headers['content-length'] ?? '0') !== '0';
  const idleMs = rt.options.requestBodyIdleTimeoutMs;
  if (idleMs > 0 && hasBody) watchBodyIdle(req, res, idleMs);
  const outgoing = outgoingOf(rt, req, view, listener);
  const exchange = new Exchange(rt, table, req, res, view, match.route, match.params, outgoing, startNs);
  // The exchange's one close listener gives the admission slot back (a second listener would
  // cost an array per response).
  exchange.admission = admission;
  exchange.hasBody = hasBody;
  exchange.start();
}

/**
 * A request pipelined behind one still being answered is handled when its response gets the
 * connection (Node queues it until then), not at once. So requests on one connection reach the
 * backends one after the other (RFC 9112 §9.3.2 allows running pipelined requests in parallel
 * only when all of them are safe); none is sent once an earlier answer has closed the
 * connection, since it never gets its turn; and none is sent whose body the parser refused
 * midway (see src/proxy/client-error.ts).
 *
 * The queue is bounded (src/proxy/pipeline.ts): a request past the bound is never served, the
 * connection closing before its turn, and is not told to the observers either (a flood would
 * make them thousands of records per read of the socket). A waiting request holds a slot of the
 * concurrency cap from its arrival, if one is free, so that the cap counts requests waiting in
 * pipelines too; at its turn it gives the slot back and takes one again as any request does,
 * which cannot fail since nothing ran in between. One that found no free slot tries again at
 * its turn.
 */
function awaitTurn(rt: ProxyRuntime, listener: ListenerInfo, req: IncomingMessage, res: ServerResponse, admission: Admission | null): void {
  const socket = req.socket;
  if (!enterPipeline(socket, res)) return;
  const queuedNs = monotonicNs();
  const held = admission !== null && admission.tryEnter();
  let turn = false;
  res.once('socket', () => {
    turn = true;
    leavePipeline(socket, res);
    if (held) admission?.leave();
    if (!req.complete && parserRefused(req.socket)) return;
    serveRequest(rt, listener, req, res, admission);
  });
  // Never given the connection (an earlier answer closed it, or the client went away): Node
  // destroys the request. It is told to the observers as one the client gave up on, so metrics
  // and access logs still count every request that arrived.
  req.once('close', () => {
    if (turn) return;
    leavePipeline(socket, res);
    if (held) admission?.leave();
    answerObserved(rt, req, queuedNs, 499, 'client_gone', viewOf(rt, req, normalizePeer(req.socket?.remoteAddress)), noWrite);
  });
}

function noWrite(): void {}

const kResponse = Symbol('skiff.response');
type WatchedRequest = IncomingMessage & { [kResponse]?: ServerResponse };

/**
 * Slow POST guard: while the body arrives, a pause longer than `ms` cuts the connection (the
 * socket's idle timer, which Node's server turns into a destroy when nobody listens for it, and
 * the upstream request is aborted with it). Once the body is in, the timer is cleared so a slow
 * backend answer is not mistaken for a slow client.
 */
function watchBodyIdle(req: WatchedRequest, res: ServerResponse, ms: number): void {
  req[kResponse] = res;
  req.socket.setTimeout(ms);
  req.on('end', bodyReceived);
}

function bodyReceived(this: WatchedRequest): void {
  // After the response, Node has armed the keep-alive timer on the same socket: leave it.
  if (this[kResponse]?.writableEnded === false) this.socket.setTimeout(0);
  this[kResponse] = undefined;
}

function reject(
  rt: ProxyRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  startNs: bigint,
  status: number,
  failure: string,
  view: RequestView | null,
): void {
  // A refused request may still have a body or a second request behind it: close the connection.
  const close = rt.draining() || status === 508 || status === 505 || (status >= 400 && status < 500 && status !== rt.options.defaultStatus);
  answerObserved(rt, req, startNs, status, failure, view, () => writeErrorReply(res, status, rt.options.serverName, close));
}

/**
 * An answer skiff gives itself before any route ran (refused, unroutable, no route), told to
 * the observer like any exchange: started, the answer written, finished. Without observer hooks
 * it is only written.
 */
export function answerObserved(
  rt: ProxyRuntime,
  req: IncomingMessage,
  startNs: bigint,
  status: number,
  failure: string,
  view: RequestView | null,
  write: () => void,
): void {
  const observer = rt.observer;
  if (observer.started === undefined && observer.finished === undefined) {
    write();
    return;
  }
  const record: ExchangeRecord = {
    req,
    view: view ?? emptyView(req),
    routeId: '',
    status,
    startNs,
    endNs: monotonicNs(),
    upstreamStartNs: 0n,
    upstreamEndNs: 0n,
    endpoint: null,
    bytes: 0,
    failure,
    filterState: undefined,
    outgoing: null,
    observerData: undefined,
  };
  observer.started?.(record);
  write();
  (record as { endNs: bigint }).endNs = monotonicNs();
  observer.finished?.(record);
}

function emptyView(req: IncomingMessage): RequestView {
  return new IncomingRequestView({
    method: req.method ?? 'GET',
    host: req.headers.host ?? '',
    rawPath: '/',
    rawQuery: '',
    headers: req.headers,
    remoteAddress: normalizePeer(req.socket.remoteAddress),
    clientIp: null,
  });
}
