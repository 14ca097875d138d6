/**
 * inlineContent("body", "content-type"?): answers the request with a fixed body; the backend is
 * not called. Without a content type, a simple sniff picks HTML, JSON or plain text. The body
 * and its length are prepared at build time.
 */
import { invalidArgs } from '../../src/errors.js';
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { expectCount, stringArg } from '../../src/args.js';
import { isValidHeaderValue } from '../header/header-syntax.js';
import { InlineContent } from '../names.js';

/** The content type of a body by its first non-blank character. */
export function sniffContentType(body: string): string {
  const first = body.trimStart().charAt(0);
  if (first === '<') return 'text/html; charset=utf-8';
  if (first === '{' || first === '[') return 'application/json; charset=utf-8';
  return 'text/plain; charset=utf-8';
}

class InlineContentFilter implements Filter {
  private readonly length: string;

  constructor(
    private readonly body: Buffer,
    private readonly contentType: string,
  ) {
    this.length = String(body.length);
  }

  // hot path: a fresh headers object per reply (response filters may change it); the body
  // buffer is shared and never written to.
  request(ctx: FilterContext): void {
    ctx.serve({
      status: 200,
      headers: { 'content-type': this.contentType, 'content-length': this.length },
      body: this.body,
    });
  }
}

export const inlineContent: FilterSpec = {
  name: InlineContent,
  create(args: readonly Arg[]): Filter {
    expectCount(InlineContent, args, 1, 2);
    const body = stringArg(InlineContent, args, 0, 'the body');
    let contentType: string;
    if (args.length === 2) {
      contentType = stringArg(InlineContent, args, 1, 'the content type');
      if (contentType.trim() === '' || !isValidHeaderValue(contentType)) {
        throw invalidArgs(InlineContent, `${JSON.stringify(contentType)} is not a valid content type`);
      }
    } else {
      contentType = sniffContentType(body);
    }
    return new InlineContentFilter(Buffer.from(body, 'utf8'), contentType);
  },
};
