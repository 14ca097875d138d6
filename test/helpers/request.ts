/** Builds a RequestView for unit tests of predicates, filters and the matcher. */
import { IncomingRequestView, splitTarget } from '../../src/proxy/request-view.js';
import type { IncomingHttpHeaders } from 'node:http';

export interface TestRequest {
  method?: string;
  host?: string;
  /** Path with optional query, e.g. `/a?b=1`. */
  url?: string;
  headers?: IncomingHttpHeaders;
  remoteAddress?: string;
  clientIp?: string | null;
}

export function requestView(r: TestRequest = {}): IncomingRequestView {
  const { rawPath, rawQuery } = splitTarget(r.url ?? '/');
  const host = r.host ?? 'example.org';
  const remoteAddress = r.remoteAddress ?? '127.0.0.1';
  return new IncomingRequestView({
    method: r.method ?? 'GET',
    host,
    rawPath,
    rawQuery,
    headers: { host, ...(r.headers ?? {}) },
    remoteAddress,
    clientIp: r.clientIp === undefined ? remoteAddress : r.clientIp,
  });
}
