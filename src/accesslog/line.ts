/**
 * One access log line: a JSON object per request, newline-terminated. Field names are fixed so
 * that log pipelines can parse them; values a client controls (host, path, flow id) are escaped
 * by JSON.stringify.
 */
import type { ExchangeRecord } from '../proxy/observer.js';

export interface AccessLogEntry {
  /** Arrival time, ISO 8601 with milliseconds. */
  readonly time: string;
  /** The resolved client address (X-Forwarded-For through trusted proxies), '' when unknown. */
  readonly client_ip: string;
  readonly method: string;
  /** Host as received. */
  readonly host: string;
  /** Path as received, without the query. */
  readonly path: string;
  readonly status: number;
  /** Body bytes sent to the client. */
  readonly bytes: number;
  readonly duration_ms: number;
  /** Route id, '' when none matched. */
  readonly route: string;
  /** `host:port` of the backend called, '' when none. */
  readonly endpoint: string;
  readonly flow_id: string;
  readonly trace_id: string;
  /** Why skiff answered with an error itself ('dial', 'timeout', 'no_route', …), '' otherwise. */
  readonly failure: string;
}

/** hot path: one object of fixed shape and one JSON.stringify. */
export function formatAccessLine(record: ExchangeRecord, nowMs: number, flowId: string, traceId: string): string {
  const durationMs = Number(record.endNs - record.startNs) / 1e6;
  const view = record.view;
  const entry: AccessLogEntry = {
    time: new Date(nowMs - durationMs).toISOString(),
    client_ip: view.clientIp ?? '',
    method: view.method,
    host: view.host,
    path: view.rawPath,
    status: record.status,
    bytes: record.bytes,
    duration_ms: Math.round(durationMs * 1000) / 1000,
    route: record.routeId,
    endpoint: record.endpoint === null ? '' : record.endpoint.authority,
    flow_id: flowId,
    trace_id: traceId,
    failure: record.failure,
  };
  return JSON.stringify(entry) + '\n';
}
