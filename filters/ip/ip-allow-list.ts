/**
 * ipAllowList("10.0.0.0/8", "2001:db8::/32", ...): answers 403 to every client outside the
 * listed networks. The client is RequestView.clientIp, the address the client-IP policy
 * resolved (the peer, or X-Forwarded-For read from the right behind trusted proxies); a client
 * whose address could not be known is refused too.
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import type { CidrSet } from '../../src/net/cidr-set.js';
import { IpAllowList } from '../names.js';
import { ipListArgs } from './ip-list-args.js';
import { forbid } from './forbidden.js';

export class IpAllowListFilter implements Filter {
  constructor(readonly networks: CidrSet) {}

  // hot path: one binary search over the compiled ranges, no allocation when allowed
  request(ctx: FilterContext): void {
    const ip = ctx.request.clientIp;
    if (ip === null || !this.networks.has(ip)) forbid(ctx);
  }
}

export const ipAllowList: FilterSpec = {
  name: IpAllowList,
  create(args: readonly Arg[]): Filter {
    return new IpAllowListFilter(ipListArgs(IpAllowList, args));
  },
};
