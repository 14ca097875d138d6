/**
 * ipDenyList("192.0.2.0/24", ...): answers 403 to clients inside the listed networks. A client
 * whose address could not be known (null clientIp: a forged or broken X-Forwarded-For behind a
 * trusted proxy) is refused as well: a deny list must not be escaped by hiding the address.
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import type { CidrSet } from '../../src/net/cidr-set.js';
import { IpDenyList } from '../names.js';
import { ipListArgs } from './ip-list-args.js';
import { forbid } from './forbidden.js';

export class IpDenyListFilter implements Filter {
  constructor(readonly networks: CidrSet) {}

  // hot path: one binary search over the compiled ranges, no allocation when allowed
  request(ctx: FilterContext): void {
    const ip = ctx.request.clientIp;
    if (ip === null || this.networks.has(ip)) forbid(ctx);
  }
}

export const ipDenyList: FilterSpec = {
  name: IpDenyList,
  create(args: readonly Arg[]): Filter {
    return new IpDenyListFilter(ipListArgs(IpDenyList, args));
  },
};
