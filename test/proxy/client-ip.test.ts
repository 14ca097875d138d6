/**
 * The client-IP policy: who is trusted, how X-Forwarded-For is read (hops and CIDR modes), and
 * that forged, short, long or broken chains give the peer or "unknown", never a chosen address.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  clientIpPolicyFromFlags,
  createClientIpPolicy,
  parseTrustedHops,
  parseTrustedProxies,
  trustNoPeer,
} from '../../src/proxy/client-ip.js';
import { ErrorCode, SkiffError } from '../../src/errors.js';
import { normalizeAddress } from '../../src/net/ip.js';

const alb = createClientIpPolicy({ trustedProxies: ['10.0.0.0/16', '2001:db8:ffff::/48'], hops: 1 });
const cidr = createClientIpPolicy({ trustedProxies: ['127.0.0.1/32', '10.0.1.0/24'] });

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof SkiffError ? err.code : 'not a SkiffError';
  }
  return undefined;
}

describe('no trusted proxies', () => {
  it('is the peer, whatever X-Forwarded-For says', () => {
    const policy = createClientIpPolicy();
    expect(policy).toBe(trustNoPeer);
    expect(policy.resolve('192.0.2.9', '10.0.0.1')).toBe('192.0.2.9');
    expect(policy.trusts('192.0.2.9')).toBe(false);
    expect(policy.resolve('', undefined)).toBeNull();
  });
});

describe('hops mode', () => {
  it('ignores X-Forwarded-For from a peer that is not trusted (spoofing attempt)', () => {
    expect(alb.trusts('192.0.2.50')).toBe(false);
    expect(alb.resolve('192.0.2.50', '10.0.0.1')).toBe('192.0.2.50');
    expect(alb.resolve('192.0.2.50', ['10.0.0.1', '10.0.0.2'])).toBe('192.0.2.50');
  });

  it('takes the rightmost entry behind one ALB, not the client-written leftmost', () => {
    expect(alb.trusts('10.0.3.4')).toBe(true);
    expect(alb.resolve('10.0.3.4', '1.2.3.4')).toBe('1.2.3.4');
    expect(alb.resolve('10.0.3.4', '6.6.6.6, 1.2.3.4')).toBe('1.2.3.4');
    expect(alb.resolve('10.0.3.4', ' 6.6.6.6 ,1.2.3.4 ')).toBe('1.2.3.4');
  });

  it('counts N from the right (Envoy example 3, Traefik depth)', () => {
    const two = createClientIpPolicy({ trustedProxies: ['192.0.2.5'], hops: 2 });
    expect(two.resolve('192.0.2.5', '203.0.113.128, 203.0.113.10, 203.0.113.1')).toBe('203.0.113.10');
    const three = createClientIpPolicy({ trustedProxies: ['192.0.2.5'], hops: 3 });
    expect(three.resolve('192.0.2.5', '10.0.0.1,11.0.0.1,12.0.0.1,13.0.0.1')).toBe('11.0.0.1');
  });

  it('gives unknown for a chain shorter than the hops, or none at all', () => {
    expect(alb.resolve('10.0.3.4', undefined)).toBeNull();
    expect(alb.resolve('10.0.3.4', '')).toBeNull();
    expect(alb.resolve('10.0.3.4', '  ')).toBeNull();
    const two = createClientIpPolicy({ trustedProxies: ['10.0.0.0/8'], hops: 2 });
    expect(two.resolve('10.0.0.1', '1.2.3.4')).toBeNull();
  });

  it('gives unknown for garbage where the client address should be', () => {
    for (const xff of ['unknown', '1.2.3.4, unknown', '1.2.3.4,', '1.2.3.999', '01.2.3.4', 'a.b.c.d', '1.2.3.4:99999', '[::1', '::1]:80', '1.2.3.4:80:80', '_hidden']) {
      expect(alb.resolve('10.0.3.4', xff), xff).toBeNull();
    }
  });

  it('reads only the entries it needs: garbage written by the client further left does not matter', () => {
    expect(alb.resolve('10.0.3.4', 'garbage, unknown, 1.2.3.4')).toBe('1.2.3.4');
  });

  it('refuses chains longer than 30 entries', () => {
    const thirty = Array.from({ length: 30 }, (_, i) => `10.1.0.${i}`).join(', ');
    expect(alb.resolve('10.0.3.4', thirty)).toBe('10.1.0.29');
    expect(alb.resolve('10.0.3.4', `${thirty}, 1.2.3.4`)).toBeNull();
  });

  it('strips ports and brackets, unwraps mapped IPv4 and canonicalises IPv6', () => {
    expect(alb.resolve('10.0.3.4', '1.2.3.4:5678')).toBe('1.2.3.4');
    expect(alb.resolve('10.0.3.4', '[2001:DB8::1]:443')).toBe('2001:db8::1');
    expect(alb.resolve('10.0.3.4', '[2001:db8::1]')).toBe('2001:db8::1');
    expect(alb.resolve('10.0.3.4', '2001:0db8:0000::0001')).toBe('2001:db8::1');
    expect(alb.resolve('10.0.3.4', '::ffff:1.2.3.4')).toBe('1.2.3.4');
    expect(alb.resolve('10.0.3.4', '[::ffff:1.2.3.4]:80')).toBe('1.2.3.4');
    expect(alb.resolve('10.0.3.4', 'fe80::1%eth0')).toBe('fe80::1');
    expect(alb.resolve('10.0.3.4', '[1.2.3.4]')).toBe('1.2.3.4');
    expect(alb.resolve('10.0.3.4', '[1.2.3.4]:80')).toBe('1.2.3.4');
  });

  it('trusts IPv6 peers and mapped IPv4 peers by their networks', () => {
    expect(alb.trusts('2001:db8:ffff::7')).toBe(true);
    expect(alb.resolve('2001:db8:ffff::7', '2001:db8:1::2')).toBe('2001:db8:1::2');
    expect(alb.trusts('::ffff:10.0.9.9')).toBe(true);
    expect(alb.resolve('::ffff:10.0.9.9', '1.2.3.4')).toBe('1.2.3.4');
    expect(alb.trusts('2001:db8:fffe::7')).toBe(false);
  });

  it('reads repeated header lines, joined or as an array, as one list in order', () => {
    expect(alb.resolve('10.0.3.4', ['6.6.6.6', '1.2.3.4'])).toBe('1.2.3.4');
    const two = createClientIpPolicy({ trustedProxies: ['10.0.0.0/8'], hops: 2 });
    expect(two.resolve('10.0.0.1', ['6.6.6.6, 1.2.3.4', '10.0.0.9'])).toBe('1.2.3.4');
  });
});

describe('CIDR mode', () => {
  it('walks right to left past trusted entries (nginx realip.t, recursive on)', () => {
    expect(cidr.resolve('127.0.0.1', '10.0.1.1, 192.0.2.1, 127.0.0.1')).toBe('192.0.2.1');
    expect(cidr.resolve('127.0.0.1', ['10.0.1.1', '192.0.2.1', '127.0.0.1'])).toBe('192.0.2.1');
    expect(cidr.resolve('127.0.0.1', '192.0.2.1, 10.0.1.7:80')).toBe('192.0.2.1');
  });

  it('takes the leftmost entry when every entry is trusted, and the peer when none was forwarded', () => {
    expect(cidr.resolve('127.0.0.1', '10.0.1.3, 10.0.1.2, 127.0.0.1')).toBe('10.0.1.3');
    expect(cidr.resolve('127.0.0.1', undefined)).toBe('127.0.0.1');
  });

  it('gives unknown when the walk meets garbage before an untrusted address', () => {
    expect(cidr.resolve('127.0.0.1', '192.0.2.1, bogus, 10.0.1.1')).toBeNull();
    expect(cidr.resolve('127.0.0.1', ',10.0.1.1')).toBeNull();
    expect(cidr.resolve('127.0.0.1', '10.0.1.1,')).toBeNull();
  });

  it('does not trust the chain of an untrusted peer', () => {
    expect(cidr.resolve('192.0.2.77', '10.0.1.1, 192.0.2.1')).toBe('192.0.2.77');
  });
});

describe('property: any X-Forwarded-For', () => {
  const entry = fc.oneof(
    fc.ipV4(),
    fc.ipV6(),
    fc.ipV4().map((ip) => `::ffff:${ip}`),
    fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 70000 })).map(([ip, p]) => `${ip}:${p}`),
    fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 70000 })).map(([ip, p]) => `[${ip}]:${p}`),
    fc.ipV6().map((ip) => `${ip}%eth0`),
    fc.constantFrom('', ' ', 'unknown', '_obf', '[', ']', '::', ':::', '1.2.3', '256.1.1.1', '\t'),
    fc.string({ maxLength: 12 }),
  );
  const chain = fc.oneof(
    fc.array(entry, { maxLength: 35 }).map((list) => list.join(', ')),
    fc.array(entry, { maxLength: 35 }).map((list) => list.join(',')),
    fc.array(fc.array(entry, { maxLength: 4 }).map((l) => l.join(', ')), { maxLength: 4 }),
  );
  const policies = [
    alb,
    cidr,
    createClientIpPolicy({ trustedProxies: ['0.0.0.0/0', '::/0'], hops: 3 }),
    createClientIpPolicy({ trustedProxies: ['0.0.0.0/0', '::/0'] }),
  ];

  it('never throws and gives a canonical address or null; an untrusted peer is always itself', () => {
    fc.assert(
      fc.property(chain, fc.integer({ min: 0, max: 3 }), (xff, which) => {
        const policy = policies[which]!;
        for (const peer of ['10.0.3.4', '127.0.0.1', '192.0.2.50']) {
          const ip = policy.resolve(peer, xff);
          if (!policy.trusts(peer)) expect(ip).toBe(peer);
          else if (ip !== null) expect(normalizeAddress(ip)).toBe(ip);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('in hops mode, the client is the Nth entry from the right or nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.ipV4(), { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 5 }), (ips, hops) => {
        const policy = createClientIpPolicy({ trustedProxies: ['10.0.0.0/16'], hops });
        const expected = ips.length >= hops ? normalizeAddress(ips[ips.length - hops]!) : null;
        expect(policy.resolve('10.0.0.1', ips.join(', '))).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe('configuration', () => {
  it('refuses bad hops and bad networks', () => {
    expect(code(() => createClientIpPolicy({ trustedProxies: ['10.0.0.0/8'], hops: 0 }))).toBe(ErrorCode.InvalidOption);
    expect(code(() => createClientIpPolicy({ trustedProxies: ['10.0.0.0/8'], hops: 31 }))).toBe(ErrorCode.InvalidOption);
    expect(code(() => createClientIpPolicy({ trustedProxies: ['10.0.0.0/8'], hops: 1.5 }))).toBe(ErrorCode.InvalidOption);
    expect(code(() => createClientIpPolicy({ hops: 1 }))).toBe(ErrorCode.InvalidOption);
    expect(code(() => createClientIpPolicy({ trustedProxies: ['10.0.0.0/33'] }))).toBe(ErrorCode.InvalidOption);
  });

  it('parses the command line values', () => {
    expect(parseTrustedProxies(['10.0.0.0/16, 10.1.0.0/16', '2001:db8::/32'])).toEqual(['10.0.0.0/16', '10.1.0.0/16', '2001:db8::/32']);
    expect(code(() => parseTrustedProxies(['10.0.0.0/16,nonsense']))).toBe(ErrorCode.InvalidOption);
    expect(parseTrustedHops('1')).toBe(1);
    expect(parseTrustedHops(' 30 ')).toBe(30);
    for (const bad of ['0', '31', '-1', '1.0', 'one', '']) expect(code(() => parseTrustedHops(bad)), bad).toBe(ErrorCode.InvalidOption);
  });

  it('builds the policy from the flags', () => {
    expect(clientIpPolicyFromFlags([], null)).toBe(trustNoPeer);
    const p = clientIpPolicyFromFlags(['10.0.0.0/16'], '1');
    expect(p.resolve('10.0.0.9', '6.6.6.6, 1.2.3.4')).toBe('1.2.3.4');
    const c = clientIpPolicyFromFlags(['10.0.0.0/16'], null);
    expect(c.resolve('10.0.0.9', '1.2.3.4, 10.0.5.5')).toBe('1.2.3.4');
    expect(code(() => clientIpPolicyFromFlags([], '1'))).toBe(ErrorCode.InvalidOption);
  });
});
