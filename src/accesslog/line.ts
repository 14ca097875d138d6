/**
 * One access log line: a JSON object per request, newline-terminated, pure ASCII. Field names are
 * fixed so that log pipelines can parse them; values a client controls (host, path, flow id) are
 * escaped whenever they hold a character that needs it.
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

/**
 * Characters JSON needs escaped, and everything outside printable ASCII: lines are pure ASCII so
 * that the writer can copy them byte for byte (latin1) instead of encoding UTF-8.
 */
const needsEscape = /["\\\u0000-\u001f\u007f-\uffff]/;
const nonAscii = /[\u007f-\uffff]/g;

function unicodeEscape(c: string): string {
  return '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');
}

/** hot path: most values need no escaping and are quoted as they are. */
function str(s: string): string {
  return needsEscape.test(s) ? JSON.stringify(s).replace(nonAscii, unicodeEscape) : `"${s}"`;
}

/** "000" … "999": fixed-width parts of times and durations without number formatting. */
const pad3: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

let lastSecond = -1;
let secondPrefix = '';

/**
 * hot path: `2024-05-01T09:59:59.123Z` from a cached per-second prefix. Formatting a Date per
 * request cost more than the rest of the line.
 */
function isoTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    secondPrefix = new Date(second * 1000).toISOString().slice(0, 20);
  }
  return secondPrefix + pad3[ms - second * 1000]! + 'Z';
}

/** hot path: a millisecond figure with three decimals from integers (float printing is slow). */
function milliseconds(ns: bigint): string {
  const us = Math.round(Number(ns) / 1000);
  return `${Math.floor(us / 1000)}.${pad3[us % 1000]!}`;
}

/**
 * hot path: one template string; the fields in AccessLogEntry order. Method (an HTTP token the
 * parser checked), trace id (hex) and failure reason (skiff's own words) cannot hold a character
 * JSON escapes, so only the other strings are checked.
 */
export function formatAccessLine(record: ExchangeRecord, nowMs: number, flowId: string, traceId: string): string {
  const ns = record.endNs - record.startNs;
  const view = record.view;
  const endpoint = record.endpoint;
  return (
    `{"time":"${isoTime(Math.round(nowMs - Number(ns) / 1e6))}","client_ip":${str(view.clientIp ?? '')},"method":"${view.method}"` +
    `,"host":${str(view.host)},"path":${str(view.rawPath)},"status":${record.status},"bytes":${record.bytes}` +
    `,"duration_ms":${milliseconds(ns)},"route":${str(record.routeId)}` +
    `,"endpoint":${endpoint === null ? '""' : str(endpoint.authority)},"flow_id":${str(flowId)},"trace_id":"${traceId}"` +
    `,"failure":"${record.failure}"}\n`
  );
}
