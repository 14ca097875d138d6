/**
 * Every built-in filter against random arguments and random requests. A bad argument list must
 * fail with InvalidArgs (the route is set aside with a reason), never with another error, and a
 * filter that was built must take any request and any response without throwing. The filters
 * that fetch keys over the network (the JWT ones) are left out: random arguments would name
 * random hosts, and tests send nothing beyond the loopback.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtinFilters } from '../../filters/index.js';
import { SkiffError } from '../../src/errors.js';
import type { Arg, Filter } from '../../src/spec.js';
import { filterContext } from '../helpers/filter-context.js';

const FETCHING = new Set(['jwtClaimToHeader', 'jwtValidation', 'jwtValidationKeys']);
const specs = builtinFilters().filter((s) => !FETCHING.has(s.name));

const text = fc.oneof(
  fc.constantFrom('', 'X-Test', 'x-test', 'Host', 'Authorization', 'page', 'true', '1m', '10s', '/', '/a/b', 'http://127.0.0.1:1', 'https:', '${request.header.X-Test}', '${request.query.page}', '${id}', '${response.header.X-Test}', 'a,b', '%', '%s', '%v=%x', 'é', '\u0000', 'a\r\nb', '*'),
  fc.string({ maxLength: 12 }),
);
const arg: fc.Arbitrary<Arg> = fc.oneof(
  { arbitrary: text, weight: 4 },
  { arbitrary: fc.constantFrom(0, 1, 2, 3, 200, 302, 404, 429, 503, 599, -1, 1.5, 1e9, Number.NaN), weight: 2 },
  { arbitrary: fc.constantFrom('^a', '(a+)+$', '[', '.*', '^/v(\\d+)', '(?P<x>y)').map((regexp) => ({ regexp })), weight: 1 },
);
const headerValue = fc.oneof(fc.constantFrom('', 'a', 'v12', 'debug-on', 'https://shop.example.org', 'a, b', '1.2.3.4'), fc.string({ maxLength: 20 }).map((s) => s.replace(/[^\t\x20-\x7e]/g, '')));
const request = fc.record({
  url: fc.constantFrom('/', '/a/b?page=2&x=%zz', '/%E4%B8%AD?a=1&a=2', '/Old/Path?q=%20', '/x;y?k=v;w', `/${'a'.repeat(300)}`),
  headers: fc.dictionary(fc.constantFrom('x-test', 'authorization', 'origin', 'x-forwarded-proto', 'x-target', 'cookie', 'baggage'), headerValue, { maxKeys: 4 }),
  clientIp: fc.constantFrom('10.0.0.1', '::1', null),
});

describe('every built-in filter, hostile input', () => {
  it('fails creation with InvalidArgs or builds a filter', () => {
    fc.assert(
      fc.property(fc.constantFrom(...specs), fc.array(arg, { maxLength: 4 }), (spec, args) => {
        try {
          spec.create(args);
        } catch (err) {
          expect(err, `${spec.name}(${JSON.stringify(args)}) threw ${String(err)}`).toBeInstanceOf(SkiffError);
        }
      }),
      { numRuns: 4000, seed: 1125 },
    );
  });

  it('built filters take any request and response without throwing', async () => {
    const built: { name: string; args: Arg[]; filter: Filter }[] = [];
    fc.assert(
      fc.property(fc.constantFrom(...specs), fc.array(arg, { maxLength: 4 }), (spec, args) => {
        try {
          built.push({ name: spec.name, args, filter: spec.create(args) });
        } catch {
          // refused: the other test covers how
        }
      }),
      { numRuns: 3000, seed: 2511 },
    );
    expect(new Set(built.map((b) => b.name)).size).toBeGreaterThan(specs.length / 2);
    const samples = fc.sample(fc.tuple(request, fc.constantFrom(200, 204, 301, 404, 500, 503), fc.dictionary(fc.constantFrom('x-test', 'content-type', 'location'), headerValue)), { numRuns: built.length, seed: 7 });
    for (let i = 0; i < built.length; i++) {
      const { name, args, filter } = built[i]!;
      const [req, status, responseHeaders] = samples[i]!;
      const ctx = filterContext(req);
      const where = `${name}(${JSON.stringify(args)}) on ${JSON.stringify(req)}`;
      try {
        await filter.request?.(ctx);
        ctx.respond({ status, headers: { ...responseHeaders } });
        await filter.response?.(ctx);
      } catch (err) {
        expect.fail(`${where} threw ${String(err)}`);
      }
    }
  });
});
