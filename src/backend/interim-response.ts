/**
 * A `100 Continue` the backend sends without being asked. RFC 9110 §15.2 has a client accept
 * any 1xx it did not expect and wait for the final answer, but undici 7's HTTP/1.1 parser
 * closes the connection with `SocketError: bad response` on a 100 (other 1xx reach the handler
 * and are skipped there). skiff never sends `Expect` upstream, so every 100 it reads is one of
 * these, and it is dropped before undici's parser sees it.
 *
 * Each upstream socket's read() is wrapped once, at connect. The wrapper only looks further at a
 * chunk whose bytes 9-11 spell "100" (a status line `HTTP/1.x 100 ...` at the chunk's start),
 * and drops the interim head only when undici's parser stands between two messages (status 0,
 * so the chunk cannot be a body or the middle of a head). An interim head split across two reads
 * is left alone: undici then refuses it as before, a 502 that is never retried.
 */
import type { Socket } from 'node:net';

interface ParserState {
  statusCode: number;
}

type Readable = Socket & { [key: symbol]: unknown };

/** undici keeps its parser on the socket under Symbol('parser'); found once, on first use. */
let parserKey: symbol | null | undefined;

function parserOf(socket: Readable): ParserState | null {
  if (parserKey === undefined) {
    parserKey = Object.getOwnPropertySymbols(socket).find((s) => s.description === 'parser') ?? null;
    // Not there yet (no parser attached): look again next time rather than give up for good.
    if (parserKey === null) {
      parserKey = undefined;
      return null;
    }
  }
  if (parserKey === null) return null;
  const p = socket[parserKey] as ParserState | undefined;
  return p !== undefined && typeof p.statusCode === 'number' ? p : null;
}

const headEnd = Buffer.from('\r\n\r\n');
const http1 = Buffer.from('HTTP/1.');

/** Whether chunk starts with a complete `HTTP/1.x 100` head; the offset just past it, or -1. */
export function interimHeadLength(chunk: Buffer, from = 0): number {
  if (chunk.length - from < 12) return -1;
  if (chunk[from + 9] !== 0x31 || chunk[from + 10] !== 0x30 || chunk[from + 11] !== 0x30) return -1;
  if (chunk.compare(http1, 0, 7, from, from + 7) !== 0) return -1;
  const sep = chunk[from + 12];
  if (sep !== undefined && sep !== 0x20 && sep !== 0x0d) return -1;
  const end = chunk.indexOf(headEnd, from + 12);
  return end === -1 ? -1 : end + 4;
}

/** Wraps the socket's read() so that undici's parser never sees an interim 100 head. */
export function dropUnsolicitedContinue(socket: Socket): void {
  const s = socket as Readable;
  const read = s.read;
  s.read = function readSkippingContinue(this: Readable, size?: number) {
    // hot path: one array read and a compare per chunk in the common case.
    const chunk = read.call(this, size) as Buffer | string | null;
    if (chunk === null || typeof chunk === 'string' || chunk.length < 12 || chunk[9] !== 0x31) return chunk;
    let at = 0;
    let next = interimHeadLength(chunk, at);
    if (next === -1) return chunk;
    const parser = parserOf(this);
    if (parser === null || parser.statusCode !== 0) return chunk;
    do {
      at = next;
      next = interimHeadLength(chunk, at);
    } while (next !== -1);
    return chunk.subarray(at);
  } as Socket['read'];
}
