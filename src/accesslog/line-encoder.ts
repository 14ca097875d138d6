/**
 * Writes access log lines straight into the writer's buffer, a batch of them at a time from the
 * values set aside per request (pending-lines.ts): no string is built per request, nothing is
 * flattened or encoded again later, and no garbage is left for the collector.
 * The bytes are exactly those of formatAccessLine (line.ts), which the tests check on random
 * input; characters outside printable ASCII are written as JSON `\uXXXX` escapes.
 *
 * The line is a table: sixteen constant parts (each holding the quotes of the strings beside it),
 * each followed by one value, written by one loop. Inside the server the encoder costs about twice
 * what a benchmark loop shows (its code and the branch history are cold on every request), so
 * what counts is the instructions per line: the constant parts are copied four bytes at a time,
 * numbers use integer arithmetic (a float `%` is an x87 fmod), the duration is converted from
 * BigInt once, and the strings go through one small loop whose escapes live out of line. Written
 * as one call per part, as before, the encoder outgrew V8's inlining budget and paid for ~25
 * calls per line.
 */
import type { ExchangeRecord } from '../proxy/observer.js';
import { secondPrefix } from './time.js';
import type { PendingLines } from './pending-lines.js';

const hex = '0123456789abcdef';

function bytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** What follows a constant part. */
const enum Value {
  Text,
  Int,
  ThreeDigits,
  SecondPrefix,
  None,
}

/** The line, in order: each constant part and the kind of value after it. */
const layout: readonly (readonly [string, Value])[] = [
  ['{"time":"', Value.SecondPrefix],
  ['', Value.ThreeDigits], // milliseconds
  ['Z","client_ip":"', Value.Text],
  ['","method":"', Value.Text],
  ['","host":"', Value.Text],
  ['","path":"', Value.Text],
  ['","status":', Value.Int],
  [',"bytes":', Value.Int],
  [',"duration_ms":', Value.Int], // whole milliseconds
  ['.', Value.ThreeDigits], // microseconds
  [',"route":"', Value.Text],
  ['","endpoint":"', Value.Text],
  ['","flow_id":"', Value.Text],
  ['","trace_id":"', Value.Text],
  ['","failure":"', Value.Text],
  ['"}\n', Value.None],
];
const parts = layout.length;
const last = parts - 1;
/** All constant parts one after the other; part i is template[partStart[i] .. partStart[i + 1]). */
const template = bytes(layout.map(([text]) => text).join('') + '\0\0\0');
const templateView = new DataView(template.buffer);
const partStart = new Uint16Array(parts + 1);
for (let i = 0; i < parts; i++) partStart[i + 1] = partStart[i]! + layout[i]![0].length;
const kinds = Uint8Array.from(layout, ([, kind]) => kind);

/** The values of the line being written, by part; reused so that nothing is allocated per line. */
const texts: string[] = layout.map(() => '');
const numbers = new Float64Array(parts);

/**
 * Every constant part, the second prefix (20), two three-digit parts, three numbers (at most 16
 * digits each) and the three bytes putWords may write past a part.
 */
const fixedBytes = template.length + 20 + 2 * 3 + 3 * 16 + 3;

/** 1 for the characters written as they are: printable ASCII but `"` and `\`. */
const plain = new Uint8Array(128);
for (let c = 0x20; c < 0x7f; c++) plain[c] = c === 0x22 || c === 0x5c ? 0 : 1;

/** An upper bound of the line's size: a character takes at most 6 bytes (`\uXXXX`). */
export function maxLineBytes(record: ExchangeRecord, flowId: string, traceId: string): number {
  const view = record.view;
  const endpoint = record.endpoint;
  const chars =
    (view.clientIp?.length ?? 0) + view.method.length + view.host.length + view.rawPath.length + record.routeId.length +
    (endpoint === null ? 0 : endpoint.authority.length) + flowId.length + traceId.length + record.failure.length;
  return fixedBytes + 6 * chars;
}

function put(buf: Uint8Array, at: number, from: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) buf[at++] = from[i]!;
  return at;
}

/**
 * Copies `from[start, end)` four bytes at a time and may write up to three bytes of garbage
 * past the end: only for parts that more of the line follows, which overwrites them.
 */
function putWords(out: DataView, at: number, from: DataView, start: number, end: number): number {
  for (let i = start; i < end; i += 4) out.setUint32(at + i - start, from.getUint32(i, true), true);
  return at + end - start;
}

/** A DataView of the buffer being written; made again when the writer moves to a new chunk. */
let out: DataView = new DataView(new ArrayBuffer(0));
let outOf: Uint8Array | null = null;

function viewOf(buf: Uint8Array): DataView {
  if (buf !== outOf) {
    outOf = buf;
    out = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  return out;
}

/** The inside of a JSON string (no quotes), escaped as JSON.stringify does, non-ASCII as `\uXXXX`. */
function putChars(buf: Uint8Array, at: number, s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80 && plain[c] === 1) buf[at++] = c;
    else at = putEscape(buf, at, c);
  }
  return at;
}

/** Rare: kept out of putChars so that the loop stays small enough to inline. */
function putEscape(buf: Uint8Array, at: number, c: number): number {
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
  return at;
}

/** A non-negative integer in decimal; integer arithmetic below 2^31 (a float `%` costs an x87 fmod). */
function putInt(buf: Uint8Array, at: number, n: number): number {
  let digits = 1;
  if (n < 0x80000000) {
    for (let m = n; m >= 10; m = (m / 10) | 0) digits++;
    for (let i = at + digits - 1; i >= at; i--) {
      const q = (n / 10) | 0;
      buf[i] = 48 + n - q * 10;
      n = q;
    }
  } else {
    for (let m = n; m >= 10; m = Math.floor(m / 10)) digits++;
    for (let i = at + digits - 1; i >= at; i--) {
      buf[i] = 48 + (n % 10);
      n = Math.floor(n / 10);
    }
  }
  return at + digits;
}

/** 0 … 999 as three digits. */
function put3(buf: Uint8Array, at: number, n: number): number {
  const h = (n / 100) | 0;
  const t = ((n - h * 100) / 10) | 0;
  buf[at] = 48 + h;
  buf[at + 1] = 48 + t;
  buf[at + 2] = 48 + n - h * 100 - t * 10;
  return at + 3;
}

let prefixOf = '';
let prefixBytes: DataView = new DataView(new ArrayBuffer(20));

/** `2024-05-01T09:59:59.` (20 bytes), made again only when the second changes. */
function prefix(second: number): DataView {
  const text = secondPrefix(second);
  if (text !== prefixOf) {
    prefixOf = text;
    prefixBytes = new DataView(bytes(text).buffer);
  }
  return prefixBytes;
}

/**
 * hot path (once per line of a batch): writes line `i` of `lines` at `at`, where the caller has
 * made room for lines.maxBytes[i] bytes, and returns where it ends.
 */
export function encodePendingLine(buf: Uint8Array, at: number, lines: PendingLines, i: number): number {
  texts[2] = lines.clientIp[i]!;
  texts[3] = lines.method[i]!;
  texts[4] = lines.host[i]!;
  texts[5] = lines.path[i]!;
  texts[10] = lines.route[i]!;
  texts[11] = lines.endpoint[i]!;
  texts[12] = lines.flowId[i]!;
  texts[13] = lines.traceId[i]!;
  texts[14] = lines.failure[i]!;
  return writeLine(buf, at, lines.arrival[i]!, lines.durationUs[i]!, lines.status[i]!, lines.bytes[i]!);
}

/** The line from `texts` and these numbers: the one loop over the constant parts. */
function writeLine(buf: Uint8Array, at: number, arrival: number, us: number, status: number, bytesSent: number): number {
  const second = Math.floor(arrival / 1000);
  const seconds = prefix(second);
  numbers[1] = arrival - second * 1000;
  numbers[6] = status;
  numbers[7] = bytesSent;
  numbers[8] = Math.floor(us / 1000);
  numbers[9] = us % 1000;
  const dv = viewOf(buf);
  let p = at;
  for (let i = 0; i < last; i++) {
    p = putWords(dv, p, templateView, partStart[i]!, partStart[i + 1]!);
    switch (kinds[i]) {
      case Value.Text:
        p = putChars(buf, p, texts[i]!);
        break;
      case Value.Int:
        p = putInt(buf, p, numbers[i]!);
        break;
      case Value.ThreeDigits:
        p = put3(buf, p, numbers[i]!);
        break;
      case Value.SecondPrefix:
        p = putWords(dv, p, seconds, 0, 20);
        break;
    }
  }
  // Exact: nothing may be written past the line.
  return put(buf, p, template, partStart[last]!, partStart[parts]!);
}
