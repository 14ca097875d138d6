/**
 * One access log line: a JSON object per request, newline-terminated, pure ASCII. Field names are
 * fixed so that log pipelines can parse them; values a client controls (host, path, flow id) are
 * escaped whenever they hold a character that needs it.
 */
import type { ExchangeRecord } from '../proxy/observer.js';
import { arrivalMs, durationMicros, durationNsOf, pad3, secondPrefix } from './time.js';

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
 * that the writer can copy them byte for byte.
 */
const needsEscape = /["\\\u0000-\u001f\u007f-\uffff]/;
const nonAscii = /[\u007f-\uffff]/g;

function unicodeEscape(c: string): string {
  return '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');
}

function str(s: string): string {
  return needsEscape.test(s) ? JSON.stringify(s).replace(nonAscii, unicodeEscape) : `"${s}"`;
}

/**
 * The line as a string: the reference form of what line-encoder.ts writes into the log's
 * buffer, and what the writer falls back to for a line too long for a chunk.
 */
export function formatAccessLine(record: ExchangeRecord, nowMs: number, flowId: string, traceId: string): string {
  const ns = durationNsOf(record.startNs, record.endNs);
  const view = record.view;
  const endpoint = record.endpoint;
  const arrival = arrivalMs(nowMs, ns);
  const second = Math.floor(arrival / 1000);
  const us = durationMicros(ns);
  return (
    `{"time":"${secondPrefix(second)}${pad3[arrival - second * 1000]!}Z","client_ip":${str(view.clientIp ?? '')}` +
    `,"method":${str(view.method)},"host":${str(view.host)},"path":${str(view.rawPath)}` +
    `,"status":${record.status},"bytes":${record.bytes},"duration_ms":${Math.floor(us / 1000)}.${pad3[us % 1000]!}` +
    `,"route":${str(record.routeId)},"endpoint":${str(endpoint === null ? '' : endpoint.authority)}` +
    `,"flow_id":${str(flowId)},"trace_id":${str(traceId)},"failure":${str(record.failure)}}\n`
  );
}
