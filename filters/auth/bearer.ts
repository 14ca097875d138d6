/**
 * The bearer token of a request (RFC 6750 §2.1): `Authorization: Bearer <token>`, the scheme
 * matched case-insensitively. Any other scheme, or a value with more than one word after it,
 * counts as no token.
 */

/** hot path: one slice for the token itself. */
export function bearerToken(authorization: string | undefined): string | null {
  if (authorization === undefined || authorization.length < 8) return null;
  // "bearer " compared without allocating a lower-cased copy
  const c0 = authorization.charCodeAt(0) | 0x20;
  if (
    c0 !== 98 ||
    (authorization.charCodeAt(1) | 0x20) !== 101 ||
    (authorization.charCodeAt(2) | 0x20) !== 97 ||
    (authorization.charCodeAt(3) | 0x20) !== 114 ||
    (authorization.charCodeAt(4) | 0x20) !== 101 ||
    (authorization.charCodeAt(5) | 0x20) !== 114 ||
    authorization.charCodeAt(6) !== 32
  ) {
    return null;
  }
  let start = 7;
  let end = authorization.length;
  while (start < end && authorization.charCodeAt(start) === 32) start++;
  while (end > start && authorization.charCodeAt(end - 1) === 32) end--;
  if (start === end) return null;
  // native searches: a character loop over a long token costs more than everything else here
  const space = authorization.indexOf(' ', start);
  if ((space !== -1 && space < end) || authorization.indexOf('\t', start) !== -1) return null;
  return start === 7 && end === authorization.length ? authorization.slice(7) : authorization.slice(start, end);
}
