/**
 * X-Forwarded-* headers on the way upstream. The incoming X-Forwarded-For chain is kept and the
 * peer appended (or kept as is, by option); Proto/Port/Host are passed through from a trusted
 * peer that set them and otherwise describe this listener, so an untrusted client cannot claim
 * https or another host.
 */
import type { XffMode } from './options.js';

export interface ListenerInfo {
  readonly proto: 'http' | 'https';
  /** The port the listener accepts on; 0 until it is listening (then each socket is asked). */
  readonly port: number;
}

/** hot path: a few property writes, one string concatenation. */
export function setForwardedHeaders(
  headers: Record<string, string | string[]>,
  peer: string,
  peerTrusted: boolean,
  listener: ListenerInfo,
  localPort: number,
  mode: XffMode,
): void {
  if (mode === 'append') {
    const chain = headers['x-forwarded-for'];
    headers['x-forwarded-for'] =
      chain === undefined || chain === '' ? peer : `${Array.isArray(chain) ? chain.join(', ') : chain}, ${peer}`;
  }
  if (!peerTrusted || headers['x-forwarded-proto'] === undefined) headers['x-forwarded-proto'] = listener.proto;
  if (!peerTrusted || headers['x-forwarded-port'] === undefined) headers['x-forwarded-port'] = portText(localPort);
  if (!peerTrusted || headers['x-forwarded-host'] === undefined) {
    const host = headers.host;
    if (typeof host === 'string') headers['x-forwarded-host'] = host;
  }
}

const portTexts = new Map<number, string>();

/** A listener has few ports: their text is made once, not per request. */
function portText(port: number): string {
  let text = portTexts.get(port);
  if (text === undefined) {
    text = String(port);
    if (portTexts.size < 64) portTexts.set(port, text);
  }
  return text;
}

/** Unwraps IPv4-mapped IPv6 (`::ffff:10.0.0.1`) so that CIDR lists and logs see plain IPv4. */
export function normalizePeer(address: string | undefined): string {
  if (address === undefined) return '';
  if (address.startsWith('::ffff:') && address.indexOf('.') !== -1) return address.slice(7);
  return address;
}
