import { describe, expect, it } from 'vitest';
import { FieldKind, connectionTokens, fieldKind, isHopByHop, upstreamRequestHeaders } from '../../src/proxy/hop-by-hop.js';
import { equalsLower } from '../../src/proxy/field-name.js';

const hopByHop = ['te', 'trailer', 'upgrade', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'proxy-authenticate', 'proxy-authorization'];

/** Spells a name with every other letter upper-cased. */
function mixed(name: string): string {
  return [...name].map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c)).join('');
}

describe('fieldKind', () => {
  it.each(hopByHop)('%s is hop-by-hop in any letter case', (name) => {
    for (const spelling of [name, name.toUpperCase(), mixed(name)]) {
      expect(fieldKind(spelling)).toBe(FieldKind.hopByHop);
      expect(isHopByHop(spelling)).toBe(true);
    }
  });

  it('tells Connection, Server and Expect apart', () => {
    expect(fieldKind('Connection')).toBe(FieldKind.connection);
    expect(isHopByHop('connection')).toBe(true);
    expect(fieldKind('SERVER')).toBe(FieldKind.server);
    expect(fieldKind('Expect')).toBe(FieldKind.expect);
  });

  // names of the same lengths as hop-by-hop ones must not be caught by the length switch
  it.each(['tx', 'status', 'trailed', 'user-agent', 'x-forwarded', 'content-type', 'x-proxy-connectio', 'x-transfer-encode', 'proxy-authenticatex', 'ab', ''])(
    '%s is plain',
    (name) => {
      expect(fieldKind(name)).toBe(FieldKind.plain);
      expect(isHopByHop(name)).toBe(false);
    },
  );
});

describe('equalsLower', () => {
  it('ignores the case of ASCII letters only', () => {
    expect(equalsLower('Content-Type', 'content-type')).toBe(true);
    expect(equalsLower('content-typ', 'content-type')).toBe(false);
    // '[' is 'Z' + 1: it must not fold onto '{'
    expect(equalsLower('[', '{')).toBe(false);
    // latin1 letters outside ASCII fold onto no ASCII letter
    expect(equalsLower('\u00c9tag', 'etag')).toBe(false);
    expect(equalsLower('X-Forwarded-\u00c6', 'x-forwarded-a')).toBe(false);
    expect(equalsLower('SERVER', 'server')).toBe(true);
    expect(equalsLower('server', 'server')).toBe(true);
    expect(equalsLower('Servex', 'server')).toBe(false);
  });

  it('agrees with an ASCII-only comparison on every latin1 name of a literal’s length', () => {
    const asciiEqual = (a: string, b: string): boolean =>
      a.length === b.length && [...a].every((c, i) => (c >= 'A' && c <= 'Z' ? String.fromCharCode(c.charCodeAt(0) + 32) : c) === b[i]);
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (const lower of ['te', 'server', 'connection', 'keep-alive', 'transfer-encoding']) {
      for (let k = 0; k < 2000; k++) {
        // mostly the literal in random letter cases, sometimes one byte anywhere in latin1
        let name = [...lower].map((c) => (next() % 2 === 0 ? c.toUpperCase() : c)).join('');
        if (k % 3 === 0) {
          const at = next() % name.length;
          name = name.slice(0, at) + String.fromCharCode(next() % 256) + name.slice(at + 1);
        }
        expect(equalsLower(name, lower)).toBe(asciiEqual(name, lower));
      }
    }
  });
});

describe('upstreamRequestHeaders', () => {
  it('drops hop-by-hop fields, Expect and the fields Connection names, and keeps the rest', () => {
    const out = upstreamRequestHeaders({
      host: 'a.example',
      connection: 'keep-alive, x-secret, X-Forwarded-For',
      'keep-alive': 'timeout=5',
      te: 'trailers',
      expect: '100-continue',
      'x-secret': '1',
      'x-forwarded-for': '192.0.2.1',
      'user-agent': 'curl',
      server: 'kept',
    });
    expect(out).toEqual({ host: 'a.example', 'x-forwarded-for': '192.0.2.1', 'user-agent': 'curl', server: 'kept' });
  });

  it('names no fields for plain keep-alive or close', () => {
    expect(connectionTokens('keep-alive')).toBeNull();
    expect(connectionTokens('close')).toBeNull();
    expect([...(connectionTokens('Close, X-A , x-b') ?? [])]).toEqual(['x-a', 'x-b']);
  });
});
