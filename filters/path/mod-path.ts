/**
 * modPath(/regexp/, "replacement"): rewrites the outgoing (raw) path by replacing every match,
 * as Go's ReplaceAllString does, with `$1`/`${name}` group references in Go's syntax.
 */
import { invalidArgs } from '../../src/errors.js';
import type { Arg, Filter, FilterContext, FilterSpec } from '../../src/spec.js';
import { expectCount, regexpSourceArg, stringArg } from '../../src/args.js';
import { ModPath } from '../names.js';
import { compileGoRegexp } from './go-regexp.js';
import { goReplacement } from './go-replacement.js';
import { toRawPath } from './raw-path.js';

class ModPathFilter implements Filter {
  constructor(
    private readonly pattern: RegExp,
    private readonly replacement: string,
    private readonly precheck: RegExp | null,
  ) {}

  // hot path: the regexp and the replacement string are compiled once; replace() with a global
  // regexp resets lastIndex itself, so sharing the instance across requests is safe.
  request(ctx: FilterContext): void {
    const out = ctx.outgoing;
    const path = out.path;
    const matches = this.precheck === null || this.precheck.test(path);
    out.path = toRawPath(matches ? path.replace(this.pattern, this.replacement) : path);
  }
}

export const modPath: FilterSpec = {
  name: ModPath,
  create(args: readonly Arg[]): Filter {
    expectCount(ModPath, args, 2);
    const source = regexpSourceArg(ModPath, args, 0, 'the expression');
    const template = stringArg(ModPath, args, 1, 'the replacement');
    try {
      const re = compileGoRegexp(source, true);
      return new ModPathFilter(re.regexp, goReplacement(template, re), re.precheck);
    } catch (err) {
      throw invalidArgs(ModPath, `/${source}/: ${(err as Error).message}`);
    }
  },
};
