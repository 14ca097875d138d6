/**
 * Redirect locations: a location given to redirectTo is split at build time into the parts it
 * fixes (scheme, host, path, query, fragment); at request time the parts it leaves out are
 * taken from the request, so "https:" changes only the scheme and "/new" only the path.
 */

export interface LocationParts {
  /** Lower-case scheme without `:`, '' when not given. */
  readonly scheme: string;
  /** host[:port], '' when not given. */
  readonly host: string;
  readonly path: string;
  /** Without `?`, '' when not given. */
  readonly query: string;
  /** With the leading `#`, '' when not given. */
  readonly fragment: string;
}

const schemePattern = /^([A-Za-z][A-Za-z0-9+.-]*):/;

/** Splits a location; returns a message instead when it cannot be a redirect target. */
export function parseLocation(location: string): LocationParts | string {
  let rest = location;
  let scheme = '';
  const m = schemePattern.exec(rest);
  if (m !== null) {
    scheme = m[1]!.toLowerCase();
    rest = rest.slice(m[0].length);
  }
  let fragment = '';
  const hash = rest.indexOf('#');
  if (hash !== -1) {
    fragment = rest.slice(hash);
    rest = rest.slice(0, hash);
  }
  let query = '';
  const q = rest.indexOf('?');
  if (q !== -1) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  let host = '';
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    host = slash === -1 ? rest.slice(2) : rest.slice(2, slash);
    rest = slash === -1 ? '' : rest.slice(slash);
    if (host === '') return 'the location has an empty host';
    if (host.includes('@')) return 'the location may not hold user information';
  }
  if (rest !== '' && !rest.startsWith('/')) {
    return 'the location path must be absolute (start with "/")';
  }
  return { scheme, host, path: rest, query, fragment };
}

export interface RequestParts {
  readonly scheme: string;
  readonly host: string;
  readonly rawPath: string;
  readonly rawQuery: string;
}

/** hot path: string concatenation only. */
export function buildLocation(target: LocationParts, req: RequestParts): string {
  const path = target.path === '' ? req.rawPath : target.path;
  const query = target.query === '' ? req.rawQuery : target.query;
  return (
    (target.scheme === '' ? req.scheme : target.scheme) +
    '://' +
    (target.host === '' ? req.host : target.host) +
    path +
    (query === '' ? '' : '?' + query) +
    target.fragment
  );
}
