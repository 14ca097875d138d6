/**
 * One access log line: a JSON object per request, newline-terminated. Field names are fixed so
 * that log pipelines can parse them; values a client controls (host, path, flow id) are escaped
 * as JSON strings whenever they hold a character that needs it.
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

/** Characters JSON needs escaped, and lone-surrogate halves, which JSON.stringify writes as escapes. */
const needsEscape = /["\\\u0000-\u001f\ud800-\udfff]/;

/** hot path: most values need no escaping and are quoted as they are. */
function str(s: string): string {
  return needsEscape.test(s) ? JSON.stringify(s) : `"${s}"`;
}

let lastMs = -1;
let lastIso = '';

/** hot path: at high rates many requests share a millisecond, and its ISO text. */
function isoTime(ms: number): string {
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

/** hot path: one template string; the fields in AccessLogEntry order. */
export function formatAccessLine(record: ExchangeRecord, nowMs: number, flowId: string, traceId: string): string {
  const durationMs = Number(record.endNs - record.startNs) / 1e6;
  const view = record.view;
  const endpoint = record.endpoint;
  return (
    `{"time":"${isoTime(Math.round(nowMs - durationMs))}","client_ip":${str(view.clientIp ?? '')},"method":${str(view.method)}` +
    `,"host":${str(view.host)},"path":${str(view.rawPath)},"status":${record.status},"bytes":${record.bytes}` +
    `,"duration_ms":${Math.round(durationMs * 1000) / 1000},"route":${str(record.routeId)}` +
    `,"endpoint":${endpoint === null ? '""' : str(endpoint.authority)},"flow_id":${str(flowId)},"trace_id":${str(traceId)}` +
    `,"failure":${str(record.failure)}}\n`
  );
}
