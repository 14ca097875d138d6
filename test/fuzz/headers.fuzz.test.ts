/**
 * Fuzzing the header filters and the client address: whatever arguments a route gives and
 * whatever a client sends (values the templates copy from headers, query, path and path
 * parameters), a header filter either refuses its arguments at build time with a SkiffError or
 * only ever produces header values free of CR, LF and NUL; the X-Forwarded-For resolver never
 * throws, returns a valid address or nothing, and "nothing" is refused by allow and deny lists.
 */
import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SkiffError } from '../../src/errors.js';
import type { Filter, FilterSpec } from '../../src/spec.js';
import { setRequestHeader } from '../../filters/header/set-request-header.js';
import { appendRequestHeader } from '../../filters/header/append-request-header.js';
import { setResponseHeader } from '../../filters/header/set-response-header.js';
import { appendResponseHeader } from '../../filters/header/append-response-header.js';
import { ipAllowList } from '../../filters/ip/ip-allow-list.js';
import { ipDenyList } from '../../filters/ip/ip-deny-list.js';
import { createClientIpPolicy } from '../../src/proxy/client-ip.js';
import { filterContext, runRequest, runResponse } from '../helpers/filter-context.js';

const nasty = fc.constantFrom('\r', '\n', '\r\n', '\0', '%0d%0a', '%00', '\u2028', '\u0085', '☃', '\x7f', '\t', ' ', 'X-Admin: true', '${', '}', '$', '\\');
const value = fc.oneof(fc.string({ maxLength: 30 }), fc.array(fc.oneof(nasty, fc.string({ maxLength: 4 })), { maxLength: 8 }).map((p) => p.join('')));
const template = fc.oneof(
  value,
  fc.constantFrom('${request.header.X-In}', '${request.query.q}', '${request.path}', '${id}', 'pre-${request.header.X-In}-post', '${request.cookie.c}', '${request.source}', '${request.host}'),
);
const headerName = fc.oneof(fc.constantFrom('X-Out', 'x-out', 'Host', 'Set-Cookie', 'X Bad', 'X-\r\n', ''), fc.string({ maxLength: 10 })).filter((n) => n.toLowerCase() !== 'x-in' && n.toLowerCase() !== 'cookie');

const specs: FilterSpec[] = [setRequestHeader, appendRequestHeader, setResponseHeader, appendResponseHeader];

function clean(v: string | string[] | undefined): boolean {
  const values = v === undefined ? [] : Array.isArray(v) ? v : [v];
  return values.every((s) => !/[\r\n\0]/.test(s));
}

describe('header filters on arbitrary input', () => {
  it('refuse bad arguments with SkiffError, and never emit CR, LF or NUL', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 }), headerName, template, value, value, value, (which, name, tpl, inHeader, query, param) => {
        const spec = specs[which]!;
        let filter: Filter;
        try {
          filter = spec.create([name, tpl]);
        } catch (err) {
          expect(err).toBeInstanceOf(SkiffError);
          return;
        }
        const ctx = filterContext({
          url: `/p?q=${encodeURIComponent(query)}&q=${query.replace(/[#\s]/g, '')}`,
          // Node never hands over a value with CR/LF/NUL, but templates must not rely on that.
          headers: { 'x-in': inHeader, cookie: `c=${param}` },
          params: { id: param },
        });
        runRequest(filter, ctx);
        // The copied client header may hold anything here; what the filter wrote must not.
        expect(clean(ctx.outgoing.headers[name.toLowerCase()])).toBe(true);
        const response = runResponse(filter, ctx, { status: 200, headers: { 'x-from-backend': 'ok' } });
        for (const v of Object.values(response.headers)) expect(clean(v)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('client address resolution on arbitrary X-Forwarded-For', () => {
  const policies = [
    createClientIpPolicy({ trustedProxies: ['127.0.0.0/8'], hops: 1 }),
    createClientIpPolicy({ trustedProxies: ['127.0.0.0/8', '10.0.0.0/8'] }),
    createClientIpPolicy({ trustedProxies: ['0.0.0.0/0', '::/0'], hops: 2 }),
  ];
  const entry = fc.oneof(fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 16 }), fc.constantFrom('unknown', '[::1]:80', '1.2.3.4:5', '::ffff:1.2.3.4', 'fe80::1%eth0', '', ' '));
  const xff = fc.oneof(
    fc.array(entry, { maxLength: 40 }).map((e) => e.join(',')),
    fc.array(fc.array(entry, { maxLength: 5 }).map((e) => e.join(', ')), { maxLength: 4 }),
    fc.string({ maxLength: 80 }),
  );
  const allow = ipAllowList.create(['0.0.0.0/0', '::/0']);
  const deny = ipDenyList.create(['192.0.2.0/24']);

  it('never throws; gives a valid address or null; null is refused by allow and deny lists alike', () => {
    fc.assert(
      fc.property(xff, fc.integer({ min: 0, max: 2 }), (chain, which) => {
        const ip = policies[which]!.resolve('127.0.0.1', chain);
        if (ip !== null) expect(isIP(ip)).not.toBe(0);
        for (const f of [allow, deny]) {
          const ctx = filterContext({ clientIp: ip, remoteAddress: '127.0.0.1' });
          runRequest(f, ctx);
          if (ip === null) expect(ctx.reply?.status).toBe(403);
          else if (f === allow) expect(ctx.served).toBe(false);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
