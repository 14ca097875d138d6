/**
 * The incoming request as predicates and templates see it. One instance per request; the query
 * and cookies are parsed only when a predicate or filter asks for them.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { RequestView } from '../spec.js';
import { cleanPath, decodePath, hostnameOf } from '../http/request-target.js';

export interface RequestViewInit {
  method: string;
  host: string;
  /** The request target's path part, raw. */
  rawPath: string;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  remoteAddress: string;
  clientIp: string | null;
}

/** Most requests carry the Host of the one before: its host name is kept for the next. */
let lastHost = '';
let lastHostname = '';

/**
 * hostnameOf, remembered for the last Host seen. A Host that is its own host name is returned
 * as the very string given, so that later `host === hostname` tests compare one pointer.
 * hot path: one string comparison when the Host repeats.
 */
function hostnameOfLast(host: string): string {
  if (host !== lastHost) {
    lastHostname = hostnameOf(host);
    lastHost = host;
  }
  return lastHostname === lastHost ? host : lastHostname;
}

export class IncomingRequestView implements RequestView {
  readonly method: string;
  readonly host: string;
  readonly hostname: string;
  readonly path: string;
  readonly rawPath: string;
  readonly rawQuery: string;
  readonly headers: IncomingHttpHeaders;
  readonly remoteAddress: string;
  readonly clientIp: string | null;
  private draw = -1;
  private queryMap: Map<string, string[]> | undefined;
  private cookieMap: Map<string, string> | undefined;

  constructor(init: RequestViewInit) {
    this.method = init.method;
    this.host = init.host;
    this.hostname = hostnameOfLast(init.host);
    this.rawPath = init.rawPath;
    // Decoded, then cleaned, as a decoding backend reads it. A client's path that cannot be
    // decoded, or that backends could read in two ways, never gets here: validateRequest
    // refuses it with 400 bad_path (see decodeRequestPath).
    this.path = cleanPath(decodePath(init.rawPath));
    this.rawQuery = init.rawQuery;
    this.headers = init.headers;
    this.remoteAddress = init.remoteAddress;
    this.clientIp = init.clientIp;
  }

  get random(): number {
    if (this.draw < 0) this.draw = Math.random();
    return this.draw;
  }

  query(name: string): readonly string[] | undefined {
    if (this.queryMap === undefined) this.queryMap = parseQuery(this.rawQuery);
    return this.queryMap.get(name);
  }

  cookie(name: string): string | undefined {
    if (this.cookieMap === undefined) this.cookieMap = parseCookies(this.headers.cookie);
    return this.cookieMap.get(name);
  }
}

/** Splits a target like `/a/b?x=1` into raw path and raw query. */
export function splitTarget(target: string): { rawPath: string; rawQuery: string } {
  const q = target.indexOf('?');
  if (q === -1) return { rawPath: target, rawQuery: '' };
  return { rawPath: target.slice(0, q), rawQuery: target.slice(q + 1) };
}

function parseQuery(raw: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  if (raw === '') return map;
  for (const [k, v] of new URLSearchParams(raw)) {
    const list = map.get(k);
    if (list === undefined) map.set(k, [v]);
    else list.push(v);
  }
  return map;
}

function parseCookies(header: string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  if (header === undefined) return map;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const name = part.slice(0, eq).trim();
    if (name !== '' && !map.has(name)) map.set(name, part.slice(eq + 1).trim());
  }
  return map;
}
