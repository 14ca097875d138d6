/**
 * The ingress-nginx source-range annotations as filter calls: what the translator puts on the
 * routes of an annotated Ingress, and that the calls build into working filters.
 */
import { describe, expect, it } from 'vitest';
import {
  ipFilterCallsFromNginxAnnotations,
  NginxAllowlistSourceRange,
  NginxDenylistSourceRange,
  NginxWhitelistSourceRange,
} from '../../../filters/ip/nginx-annotations.js';
import { builtinFilters } from '../../../filters/index.js';
import { ErrorCode, SkiffError } from '../../../src/errors.js';
import { createFilter, filterContext, runRequest } from '../../helpers/filter-context.js';

describe('ipFilterCallsFromNginxAnnotations', () => {
  it('gives nothing without the annotations or with blank values', () => {
    expect(ipFilterCallsFromNginxAnnotations({})).toEqual([]);
    expect(ipFilterCallsFromNginxAnnotations({ [NginxWhitelistSourceRange]: ' , ', 'other/annotation': 'x' })).toEqual([]);
  });

  it('turns the comma-separated ranges into one argument per entry, deny before allow', () => {
    const calls = ipFilterCallsFromNginxAnnotations({
      [NginxWhitelistSourceRange]: '10.0.0.0/24, 172.10.0.1',
      [NginxDenylistSourceRange]: '10.0.0.7',
    });
    expect(calls).toEqual([
      { name: 'ipDenyList', args: ['10.0.0.7'] },
      { name: 'ipAllowList', args: ['10.0.0.0/24', '172.10.0.1'] },
    ]);
  });

  it('merges both allow spellings into one list (two allow filters would intersect)', () => {
    const calls = ipFilterCallsFromNginxAnnotations({
      [NginxWhitelistSourceRange]: '10.0.0.0/24',
      [NginxAllowlistSourceRange]: '2001:db8::/32',
    });
    expect(calls).toEqual([{ name: 'ipAllowList', args: ['10.0.0.0/24', '2001:db8::/32'] }]);
  });

  it('refuses a bad range with InvalidIngress naming the annotation', () => {
    let err: unknown;
    try {
      ipFilterCallsFromNginxAnnotations({ [NginxDenylistSourceRange]: '10.0.0.0/8, 10.0.0.256' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SkiffError);
    expect((err as SkiffError).code).toBe(ErrorCode.InvalidIngress);
    expect((err as SkiffError).message).toContain(NginxDenylistSourceRange);
  });

  it('produces calls the registered filters build and apply', () => {
    const specs = new Map(builtinFilters().map((s) => [s.name, s]));
    const calls = ipFilterCallsFromNginxAnnotations({ [NginxWhitelistSourceRange]: '10.0.0.0/24', [NginxDenylistSourceRange]: '10.0.0.7' });
    const run = (ip: string): number => {
      for (const call of calls) {
        const ctx = runRequest(createFilter(specs.get(call.name)!, ...call.args), filterContext({ clientIp: ip }));
        if (ctx.reply !== undefined) return ctx.reply.status;
      }
      return 200;
    };
    expect(run('10.0.0.5')).toBe(200);
    expect(run('10.0.0.7')).toBe(403);
    expect(run('10.0.1.5')).toBe(403);
  });
});
