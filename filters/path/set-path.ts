/**
 * setPath("/v2/${id}"): replaces the outgoing (raw) path. Templates are allowed; a placeholder
 * that does not resolve becomes '' (Skipper's behaviour for paths), and characters that cannot
 * appear raw in a path are percent-encoded.
 */
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import type { Template } from '../../src/templates/template.js';
import { expectCount, templateArg } from '../../src/args.js';
import { SetPath } from '../names.js';
import { toRawPath } from './raw-path.js';

class SetPathFilter implements Filter {
  private readonly constantPath: string | undefined;

  constructor(private readonly path: Template) {
    this.constantPath = path.constant ? toRawPath(path.text) : undefined;
  }

  // hot path: a constant path is prepared at build time; otherwise one expansion.
  request(ctx: FilterContext): void {
    ctx.outgoing.path = this.constantPath ?? toRawPath(this.path.expandOrEmpty(ctx));
  }
}

export const setPath: FilterSpec = {
  name: SetPath,
  create(args: readonly Arg[]): Filter {
    expectCount(SetPath, args, 1);
    return new SetPathFilter(templateArg(SetPath, args, 0, 'the path'));
  },
};
