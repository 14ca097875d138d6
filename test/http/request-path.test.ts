/**
 * The path predicates see against the path a decoding backend sees. A request the proxy accepts
 * must mean the same resource to both; where no single reading is safe, the proxy refuses it.
 * The backends are modelled here from their own rules (not from skiff's code):
 * - Go's net/http (url.PathUnescape of the whole path into bytes, then path.Clean), which is
 *   also what decoding each `/`-segment and joining them gives;
 * - a backend that splits at the raw `/` first and decodes each segment after (an escaped `/`
 *   stays inside its segment, and dot segments are removed segment by segment);
 * - a backend that takes `\` for `/` once decoded (Windows file servers, IIS).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { IncomingMessage } from 'node:http';
import { decodeRequestPath } from '../../src/http/request-target.js';
import { IncomingRequestView } from '../../src/proxy/request-view.js';
import { pathOfTarget, validateRequest } from '../../src/proxy/validation.js';

const policy = { maxRequestHeaderLines: 100, underscoreHeaders: 'reject' as const };

function requestFor(url: string, major = 1, minor = 1): IncomingMessage {
  return {
    method: 'GET',
    url,
    rawHeaders: ['Host', 'a.example'],
    headers: { host: 'a.example' },
    httpVersionMajor: major,
    httpVersionMinor: minor,
  } as unknown as IncomingMessage;
}

/** What the proxy does with a path: refuses it, or routes on the returned path. */
function proxyReading(rawPath: string): { refused: true } | { refused: false; path: string } {
  const refusal = validateRequest(requestFor(rawPath), policy);
  if (refusal !== null) {
    expect(refusal.reason).toBe('bad_path');
    return { refused: true };
  }
  const view = new IncomingRequestView({ method: 'GET', host: 'a.example', rawPath, rawQuery: '', headers: {}, remoteAddress: '127.0.0.1', clientIp: null });
  return { refused: false, path: view.path };
}

const HEX = /^[0-9A-Fa-f]{2}$/;

/** Percent-decodes to bytes as Go's unescape does: no UTF-8 check; a bad escape is an error. */
function unescapeBytes(text: string): number[] | null {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '%') {
      const hex = text.slice(i + 1, i + 3);
      if (!HEX.test(hex)) return null;
      out.push(parseInt(hex, 16));
      i += 2;
    } else {
      out.push(...Buffer.from(text[i]!, 'utf8'));
    }
  }
  return out;
}

const SLASH = 0x2f;
const BACKSLASH = 0x5c;
const DOT = 0x2e;

/** Removes `.`, `..` and empty segments (path.Clean); the segments, as byte strings. */
function removeDots(segments: number[][]): string[] {
  const out: string[] = [];
  for (const s of segments) {
    if (s.length === 0 || (s.length === 1 && s[0] === DOT)) continue;
    if (s.length === 2 && s[0] === DOT && s[1] === DOT) {
      out.pop();
      continue;
    }
    out.push(Buffer.from(s).toString('latin1'));
  }
  return out;
}

function splitBytes(bytes: number[], separators: readonly number[]): number[][] {
  const segments: number[][] = [[]];
  for (const b of bytes) {
    if (separators.includes(b)) segments.push([]);
    else segments[segments.length - 1]!.push(b);
  }
  return segments;
}

/** Segments of a byte string, ignoring empty ones (repeated separators mean one to all models). */
function segmentsOf(text: string, separators: readonly number[]): string[] {
  return splitBytes([...Buffer.from(text, 'latin1')], separators)
    .filter((s) => s.length > 0)
    .map((s) => Buffer.from(s).toString('latin1'));
}

/** Go: decode the whole path, then clean it. null: Go refuses the escape (400). */
function goBackend(raw: string): string[] | null {
  const bytes = unescapeBytes(raw);
  return bytes === null ? null : removeDots(splitBytes(bytes, [SLASH]));
}

/** Split at the raw `/`, decode each segment, remove dot segments; then read as one string. */
function segmentFirstBackend(raw: string): string[] | null {
  const segments: number[][] = [];
  for (const part of raw.split('/')) {
    const bytes = unescapeBytes(part);
    if (bytes === null) return null;
    segments.push(bytes);
  }
  return segmentsOf(removeDots(segments).join('/'), [SLASH]);
}

/** Decode, then `\` is a separator like `/`. */
function backslashBackend(raw: string): string[] | null {
  const bytes = unescapeBytes(raw);
  return bytes === null ? null : removeDots(splitBytes(bytes, [SLASH, BACKSLASH]));
}

/** The proxy's path as bytes (latin1 string of its UTF-8), split like the models' output. */
function proxySegments(path: string, separators: readonly number[]): string[] {
  return segmentsOf(Buffer.from(path, 'utf8').toString('latin1'), separators);
}

const pieces = [
  '/', '/', '/', '.', '..', 'a', 'admin', 'é', '\\', '%', '%2', '%zz', '%2e', '%2E', '%2e%2e', '%2f', '%2F', '%5c', '%5C',
  '%00', '%c0', '%ae', '%C0%AE', '%ff', '%61', '%41', '%C3', '%A9', '%e2%82%ac', '%ed%a0%80', '%f4%90%80%80', '%25', '%20', '%3f',
];
const rawPath = fc.array(fc.constantFrom(...pieces), { maxLength: 14 }).map((parts) => '/' + parts.join(''));

describe('the path predicates see and the path a decoding backend sees', () => {
  it('agree for every path, or the request is refused with bad_path', () => {
    fc.assert(
      fc.property(rawPath, (raw) => {
        const proxy = proxyReading(raw);
        const go = goBackend(raw);
        if (proxy.refused) return;
        // accepted: every decoding backend reads it, and reads it as the predicates did
        expect(proxy.path).not.toContain('\0');
        expect(go, `Go refuses ${raw}`).not.toBeNull();
        expect(proxySegments(proxy.path, [SLASH]), `Go: ${raw}`).toEqual(go);
        expect(proxySegments(proxy.path, [SLASH]), `segment-first: ${raw}`).toEqual(segmentFirstBackend(raw));
        // A raw `\` without any escape is not inspected (the common path stays one scan).
        if (raw.includes('%')) expect(proxySegments(proxy.path, [SLASH, BACKSLASH]), `backslash: ${raw}`).toEqual(backslashBackend(raw));
      }),
      { numRuns: 3000 },
    );
  });

  it('the property also holds for arbitrary printable text', () => {
    const text = fc.string({ unit: fc.constantFrom('/', '.', '%', '2', 'e', 'E', 'f', 'F', '5', 'c', 'C', '0', 'a', 'z', '\\'), maxLength: 24 });
    fc.assert(
      fc.property(text, (t) => {
        const raw = '/' + t;
        const proxy = proxyReading(raw);
        if (proxy.refused) return;
        expect(proxySegments(proxy.path, [SLASH]), raw).toEqual(goBackend(raw));
        expect(proxySegments(proxy.path, [SLASH]), raw).toEqual(segmentFirstBackend(raw));
        if (raw.includes('%')) expect(proxySegments(proxy.path, [SLASH, BACKSLASH]), raw).toEqual(backslashBackend(raw));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('decodeRequestPath', () => {
  it.each([
    '/%61dmin/x%ff',
    '/%61dmin/x%zz',
    '/%61dmin/%c0%ae',
    '/%61dmin/%C0%AE%C0%AE/x',
    '/%61dmin/x%',
    '/%61dmin/x%4',
    '/%61dmin%00/x',
    '/admin/%ed%a0%80',
    '/x/%f4%90%80%80',
    '/public/..%2Fadmin',
    '/public/..%2fadmin',
    '/public%2F..%2Fadmin',
    '/public/..%5Cadmin',
    '/public/%2e%2e%5cadmin',
    '/public\\..\\%61dmin',
  ])('refuses %s', (raw) => {
    expect(decodeRequestPath(raw)).toBeNull();
  });

  it.each([
    ['/admin/x', '/admin/x'],
    ['/%61dmin/x', '/admin/x'],
    ['/%2e%2e/admin', '/../admin'],
    ['/a/%2E%2E/admin', '/a/../admin'],
    ['/caf%C3%A9', '/café'],
    ['/a%2Fb', '/a/b'],
    ['/a%2fb/c%5Cd', '/a/b/c\\d'],
    ['/%25zz', '/%zz'],
    ['/a%20b', '/a b'],
  ])('decodes %s to %s', (raw, decoded) => {
    expect(decodeRequestPath(raw)).toBe(decoded);
  });

  it('returns a path without escapes as the very string given', () => {
    const raw = '/api/v1/items/42';
    expect(decodeRequestPath(raw)).toBe(raw);
  });
});

describe('validateRequest on the request target', () => {
  it('checks only the path part: escapes in the query are the backend\'s to read', () => {
    expect(validateRequest(requestFor('/a?x=%zz&y=%ff'), policy)).toBeNull();
    expect(validateRequest(requestFor('/a%zz?x=1'), policy)?.reason).toBe('bad_path');
  });

  it('checks the path of an absolute-form target, not its authority', () => {
    expect(validateRequest(requestFor('http://a.example/%61dmin/x%ff'), policy)).toEqual({ status: 400, reason: 'bad_path' });
    expect(validateRequest(requestFor('http://a.example/%61dmin'), policy)).toBeNull();
  });

  it.each([
    ['/a/b?q', '/a/b'],
    ['/a', '/a'],
    ['http://a.example/x/y?q=%zz', '/x/y'],
    ['http://a.example?q', ''],
    ['http://a.example', ''],
    ['*', ''],
  ])('pathOfTarget(%j) is %j', (url, path) => {
    expect(pathOfTarget(url)).toBe(path);
  });

  it.each([
    [2, 0],
    [0, 9],
    [1, 2],
    [3, 0],
  ])('refuses HTTP/%i.%i with 505', (major, minor) => {
    expect(validateRequest(requestFor('/', major, minor), policy)).toEqual({ status: 505, reason: 'http_version' });
  });

  it.each([
    [1, 0],
    [1, 1],
  ])('accepts HTTP/%i.%i', (major, minor) => {
    expect(validateRequest(requestFor('/', major, minor), policy)).toBeNull();
  });
});
