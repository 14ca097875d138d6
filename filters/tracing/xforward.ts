/**
 * xforward() / xforwardFirst(): Skipper's filters that put the TCP peer into X-Forwarded-For
 * (appended, or prepended for backends that read the first entry) and set X-Forwarded-Host to
 * the request's Host.
 *
 * The proxy itself already appends the peer unless it runs with `xff: "keep"`. So that the
 * peer never appears twice, these filters start from the chain as the client sent it whenever
 * the proxy has appended the peer: xforward then changes nothing in the chain (in keep mode it
 * appends), and xforwardFirst moves the peer from the end to the front.
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { expectCount } from '../../src/args.js';
import { Xforward, XforwardFirst } from '../names.js';

const XFF = 'x-forwarded-for';

function joined(value: string | string[] | undefined): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : value.join(', ');
}

class XforwardFilter implements Filter {
  constructor(private readonly first: boolean) {}

  // hot path: a few string joins, only when X-Forwarded-For is present
  request(ctx: FilterContext): void {
    const headers = ctx.outgoing.headers;
    const peer = ctx.request.remoteAddress;
    if (peer !== '') {
      const incoming = joined(ctx.request.headers[XFF]);
      const outgoing = joined(headers[XFF]);
      // the proxy appended the peer exactly when the outgoing chain is the client's plus the peer
      const appended = outgoing === (incoming === '' ? peer : `${incoming}, ${peer}`);
      const chain = appended ? incoming : outgoing;
      if (this.first) headers[XFF] = chain === '' ? peer : `${peer}, ${chain}`;
      else if (!appended) headers[XFF] = chain === '' ? peer : `${chain}, ${peer}`;
    }
    const host = ctx.request.host;
    if (host !== '') headers['x-forwarded-host'] = host;
  }
}

export const xforward: FilterSpec = {
  name: Xforward,
  create(args: readonly Arg[]): Filter {
    expectCount(Xforward, args, 0);
    return new XforwardFilter(false);
  },
};

export const xforwardFirst: FilterSpec = {
  name: XforwardFirst,
  create(args: readonly Arg[]): Filter {
    expectCount(XforwardFirst, args, 0);
    return new XforwardFilter(true);
  },
};
