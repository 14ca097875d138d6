/**
 * The (claim path, header name) pairs of jwtClaimToHeader and forwardTokenField, checked at
 * build time. Each header is also known by its underscore spelling (`x_user_id`), which some
 * backends (CGI-style, or servers that map `_` to `-`) read as the same field; both are
 * stripped from client requests.
 */
import { isValidHeaderName } from '../header/header-syntax.js';
import { compileClaimPath, type ClaimPath } from './claim-path.js';

export interface ClaimHeader {
  readonly path: ClaimPath;
  /** Lower-case. */
  readonly header: string;
}

/** Fields a claim must never set: framing, routing and credentials. */
const reserved = new Set([
  'host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer',
  'proxy-connection', 'proxy-authorization', 'authorization', 'cookie', 'expect',
]);

/** Throws Error with a reason. */
export function claimHeader(path: string, header: string): ClaimHeader {
  if (!isValidHeaderName(header)) throw new Error(`${JSON.stringify(header)} is not a valid header name`);
  const lower = header.toLowerCase();
  if (reserved.has(lower)) throw new Error(`a claim may not set ${header}`);
  return { path: compileClaimPath(path), header: lower };
}

/** The names to strip for these headers: each one and its underscore spelling. */
export function stripNames(headers: readonly string[]): string[] {
  const names = new Set<string>();
  for (const h of headers) {
    names.add(h);
    names.add(h.replaceAll('-', '_'));
  }
  return [...names];
}
