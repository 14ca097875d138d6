/**
 * Writes an access log line straight into the writer's buffer, byte by byte: no string is built
 * per request, nothing is flattened or encoded later, and no garbage is left for the collector.
 * The bytes are exactly those of formatAccessLine (line.ts), which the tests check on random
 * input; characters outside printable ASCII are written as JSON `\uXXXX` escapes.
 */
import type { ExchangeRecord } from '../proxy/observer.js';
import { arrivalMs, durationMicros, secondPrefix } from './time.js';

const hex = '0123456789abcdef';

function bytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

const kTime = bytes('{"time":"');
const kClientIp = bytes('Z","client_ip":');
const kMethod = bytes(',"method":');
const kHost = bytes(',"host":');
const kPath = bytes(',"path":');
const kStatus = bytes(',"status":');
const kBytes = bytes(',"bytes":');
const kDuration = bytes(',"duration_ms":');
const kRoute = bytes(',"route":');
const kEndpoint = bytes(',"endpoint":');
const kFlowId = bytes(',"flow_id":');
const kTraceId = bytes(',"trace_id":');
const kFailure = bytes(',"failure":');
const kEnd = bytes('}\n');
/** Every constant part, the time (24) and three numbers (at most 16 digits and a dot each). */
const fixedBytes =
  kTime.length + kClientIp.length + kMethod.length + kHost.length + kPath.length + kStatus.length + kBytes.length +
  kDuration.length + kRoute.length + kEndpoint.length + kFlowId.length + kTraceId.length + kFailure.length + kEnd.length +
  24 + 3 * 17;

/** An upper bound of the line's size: a character takes at most 6 bytes (`\uXXXX`), plus quotes. */
export function maxLineBytes(record: ExchangeRecord, flowId: string, traceId: string): number {
  const view = record.view;
  const chars =
    (view.clientIp?.length ?? 0) + view.method.length + view.host.length + view.rawPath.length + record.routeId.length +
    (record.endpoint?.authority.length ?? 0) + flowId.length + traceId.length + record.failure.length;
  return fixedBytes + 6 * chars + 2 * 9;
}

function put(buf: Uint8Array, at: number, part: Uint8Array): number {
  for (let i = 0; i < part.length; i++) buf[at + i] = part[i]!;
  return at + part.length;
}

/** A JSON string, escaped as JSON.stringify does, with non-ASCII as `\uXXXX`. */
function putString(buf: Uint8Array, at: number, s: string): number {
  buf[at++] = 0x22;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) {
      buf[at++] = c;
      continue;
    }
    buf[at++] = 0x5c;
    switch (c) {
      case 0x22:
        buf[at++] = 0x22;
        break;
      case 0x5c:
        buf[at++] = 0x5c;
        break;
      case 0x08:
        buf[at++] = 0x62; // b
        break;
      case 0x0c:
        buf[at++] = 0x66; // f
        break;
      case 0x0a:
        buf[at++] = 0x6e; // n
        break;
      case 0x0d:
        buf[at++] = 0x72; // r
        break;
      case 0x09:
        buf[at++] = 0x74; // t
        break;
      default:
        buf[at++] = 0x75; // u
        buf[at++] = hex.charCodeAt(c >> 12);
        buf[at++] = hex.charCodeAt((c >> 8) & 15);
        buf[at++] = hex.charCodeAt((c >> 4) & 15);
        buf[at++] = hex.charCodeAt(c & 15);
    }
  }
  buf[at++] = 0x22;
  return at;
}

/** A non-negative integer in decimal. */
function putInt(buf: Uint8Array, at: number, n: number): number {
  if (n < 10) {
    buf[at] = 48 + n;
    return at + 1;
  }
  let digits = 1;
  for (let m = n; m >= 10; m = Math.floor(m / 10)) digits++;
  for (let i = at + digits - 1; i >= at; i--) {
    buf[i] = 48 + (n % 10);
    n = Math.floor(n / 10);
  }
  return at + digits;
}

function put3(buf: Uint8Array, at: number, n: number): number {
  buf[at] = 48 + Math.floor(n / 100);
  buf[at + 1] = 48 + (Math.floor(n / 10) % 10);
  buf[at + 2] = 48 + (n % 10);
  return at + 3;
}

function putAscii(buf: Uint8Array, at: number, s: string): number {
  for (let i = 0; i < s.length; i++) buf[at + i] = s.charCodeAt(i);
  return at + s.length;
}

/**
 * hot path: writes the line at `at` and returns where it ends. The caller has made room for
 * maxLineBytes(...) bytes.
 */
export function encodeAccessLine(buf: Uint8Array, at: number, record: ExchangeRecord, nowMs: number, flowId: string, traceId: string): number {
  const ns = record.endNs - record.startNs;
  const view = record.view;
  const arrival = arrivalMs(nowMs, ns);
  const second = Math.floor(arrival / 1000);
  const us = durationMicros(ns);
  let p = put(buf, at, kTime);
  p = putAscii(buf, p, secondPrefix(second));
  p = put3(buf, p, arrival - second * 1000);
  p = put(buf, p, kClientIp);
  p = putString(buf, p, view.clientIp ?? '');
  p = put(buf, p, kMethod);
  p = putString(buf, p, view.method);
  p = put(buf, p, kHost);
  p = putString(buf, p, view.host);
  p = put(buf, p, kPath);
  p = putString(buf, p, view.rawPath);
  p = put(buf, p, kStatus);
  p = putInt(buf, p, record.status);
  p = put(buf, p, kBytes);
  p = putInt(buf, p, record.bytes);
  p = put(buf, p, kDuration);
  p = putInt(buf, p, Math.floor(us / 1000));
  buf[p++] = 0x2e; // .
  p = put3(buf, p, us % 1000);
  p = put(buf, p, kRoute);
  p = putString(buf, p, record.routeId);
  p = put(buf, p, kEndpoint);
  p = putString(buf, p, record.endpoint === null ? '' : record.endpoint.authority);
  p = put(buf, p, kFlowId);
  p = putString(buf, p, flowId);
  p = put(buf, p, kTraceId);
  p = putString(buf, p, traceId);
  p = put(buf, p, kFailure);
  p = putString(buf, p, record.failure);
  return put(buf, p, kEnd);
}
