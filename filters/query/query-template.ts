/**
 * Template arguments of the query filters (setQuery, dropQuery): compiled at build time, expanded
 * per request with unresolved placeholders as '' (Skipper's documented behaviour for these
 * filters), and turned into the UTF-8 bytes Go would put into the query.
 */
import type { FilterContext } from '../../src/spec.js';
import type { Template } from '../../src/templates/template.js';
import { utf8Bytes } from '../header/header-args.js';

/** A template whose expansion is wanted as bytes; a constant one is converted once. */
export class ByteTemplate {
  private readonly constant: string | undefined;

  constructor(private readonly template: Template) {
    this.constant = template.constant ? utf8Bytes(template.text) : undefined;
  }

  // hot path: constant text costs nothing.
  bytes(ctx: FilterContext): string {
    return this.constant ?? utf8Bytes(this.template.expandOrEmpty(ctx));
  }
}
