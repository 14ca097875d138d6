/**
 * inlineContentIfStatus(404, "body", "content-type"?): in the response phase, when the status is
 * exactly the given one, replaces the body (the backend's, or that of a local reply) with a fixed
 * one, as Skipper does: Content-Length is set to the new length, Content-Encoding is removed
 * (the new body is not encoded), Content-Type is set; the status and every other header stay.
 * Without a content type, the type is sniffed as inlineContent does. The body is prepared at
 * build time.
 */
import { invalidArgs } from '../../src/errors.js';
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { expectCount, integerArg, stringArg } from '../../src/args.js';
import { isValidHeaderValue } from '../header/header-syntax.js';
import { sniffContentType } from './inline-content.js';
import { InlineContentIfStatus } from '../names.js';

class InlineContentIfStatusFilter implements Filter {
  private readonly length: string;

  constructor(
    private readonly status: number,
    private readonly body: Buffer,
    private readonly contentType: string,
  ) {
    this.length = String(body.length);
  }

  // hot path: one comparison when the status does not match.
  response(ctx: FilterContext): void {
    const res = ctx.response;
    if (res === null || res.status !== this.status) return;
    const headers = res.headers;
    delete headers['content-encoding'];
    headers['content-type'] = this.contentType;
    headers['content-length'] = this.length;
    // The buffer is shared between requests and never written to.
    res.body = this.body;
  }
}

export const inlineContentIfStatus: FilterSpec = {
  name: InlineContentIfStatus,
  create(args: readonly Arg[]): Filter {
    const name = InlineContentIfStatus;
    expectCount(name, args, 2, 3);
    const status = integerArg(name, args, 0, 'the status code', 100, 599);
    const body = stringArg(name, args, 1, 'the body');
    let contentType: string;
    if (args.length === 3) {
      contentType = stringArg(name, args, 2, 'the content type');
      if (contentType.trim() === '' || !isValidHeaderValue(contentType)) {
        throw invalidArgs(name, `${JSON.stringify(contentType)} is not a valid content type`);
      }
    } else {
      contentType = sniffContentType(body);
    }
    return new InlineContentIfStatusFilter(status, Buffer.from(body, 'utf8'), contentType);
  },
};
