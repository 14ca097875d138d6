/**
 * The entry of every proxied request: derive the client address, build the request view, look
 * up the route, prepare the outgoing request and hand over to an Exchange. Requests no route
 * matches are answered here.
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

export interface ParsedTarget {
  host: string;
  rawPath: string;
  rawQuery: string;
}

/**
 * Splits the request-target. Absolute-form (`GET http://a.example/x`) routes by the target's
 * authority, as RFC 9112 §3.2.2 requires; anything else that is not origin-form is refused.
 */
export function parseTarget(url: string, hostHeader: string | undefined): ParsedTarget | null {
  let host = hostHeader ?? '';
  let target = url;
  if (target.charCodeAt(0) !== 47 /* / */) {
    if (!/^https?:\/\//i.test(target)) return null;
    const slash = target.indexOf('/', target.indexOf('//') + 2);
    const authorityEnd = slash === -1 ? target.length : slash;
    host = target.slice(target.indexOf('//') + 2, authorityEnd);
    target = slash === -1 ? '/' : target.slice(slash);
  }
  const hash = target.indexOf('#');
  if (hash !== -1) target = target.slice(0, hash);
  const q = target.indexOf('?');
  return q === -1
    ? { host, rawPath: target, rawQuery: '' }
    : { host, rawPath: target.slice(0, q), rawQuery: target.slice(q + 1) };
}

/** Builds the view predicates see. Returns null for a target that cannot be routed. */
export function viewOf(rt: ProxyRuntime, req: IncomingMessage, peer: string): IncomingRequestView | null {
  const target = parseTarget(req.url ?? '/', req.headers.host);
  if (target === null) return null;
  return new IncomingRequestView({
    method: req.method ?? 'GET',
    host: target.host,
    rawPath: target.rawPath,
    rawQuery: target.rawQuery,
    headers: req.headers,
    remoteAddress: peer,
    clientIp: rt.clientIp.resolve(peer, req.headers['x-forwarded-for']),
  });
}

/** Outgoing request as filters start from it: hop-by-hop removed, X-Forwarded-* set. */
export function outgoingOf(rt: ProxyRuntime, req: IncomingMessage, view: RequestView, listener: ListenerInfo): OutgoingRequest {
  const headers = upstreamRequestHeaders(req.headers);
  if (view.host !== '') headers.host = view.host;
  setForwardedHeaders(headers, view.remoteAddress, rt.clientIp.trusts(view.remoteAddress), listener, req.socket.localPort ?? 0, rt.options.xff);
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

/** hot path: everything up to the first filter is synchronous. */
export function handleRequest(rt: ProxyRuntime, listener: ListenerInfo, req: IncomingMessage, res: ServerResponse): void {
  const startNs = process.hrtime.bigint();
  const peer = normalizePeer(req.socket.remoteAddress);
  const view = viewOf(rt, req, peer);
  if (view === null) {
    reject(rt, req, res, startNs, 400, 'bad_target', null);
    return;
  }
  // The request finishes on the table it started with, even if a new one is swapped in.
  const table = rt.router.acquire();
  const match = table.lookup(view);
  if (match === null) {
    rt.router.release(table);
    reject(rt, req, res, startNs, rt.options.defaultStatus, 'no_route', view);
    return;
  }
  const outgoing = outgoingOf(rt, req, view, listener);
  new Exchange(rt, table, req, res, view, match.route, match.params, outgoing, startNs).start();
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
  const { started, finished } = rt.observer;
  if (started === undefined && finished === undefined) {
    writeErrorReply(res, status, rt.options.serverName, rt.draining() || status === 400);
    return;
  }
  const record: ExchangeRecord = {
    req,
    view: view ?? emptyView(req),
    routeId: '',
    status,
    startNs,
    endNs: process.hrtime.bigint(),
    upstreamStartNs: 0n,
    upstreamEndNs: 0n,
    endpoint: null,
    bytes: 0,
    failure,
    filterState: undefined,
    observerData: undefined,
  };
  started?.(record);
  writeErrorReply(res, status, rt.options.serverName, rt.draining() || status === 400);
  (record as { endNs: bigint }).endNs = process.hrtime.bigint();
  finished?.(record);
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
