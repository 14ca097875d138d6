import { describe, expect, it } from 'vitest';
import { setRequestHeader } from '../../../filters/header/set-request-header.js';
import { preserveHost } from '../../../filters/host/preserve-host.js';
import type { Arg } from '../../../src/spec.js';
import { createFilter, filterContext, runRequest } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';

describe('preserveHost: arguments', () => {
  it.each([[[]], [[true as unknown as Arg]], [[1]], [['yes']], [['True']], [['true', 'false']]] as Arg[][][])(
    'rejects %j',
    (args) => {
      expectInvalidArgs(preserveHost, args);
    },
  );
});

describe('preserveHost', () => {
  it.each([
    ['true', false, true],
    ['true', true, true],
    ['false', true, false],
    ['false', false, false],
  ])('preserveHost(%j) with %s before gives %s', (arg, before, after) => {
    const ctx = filterContext();
    ctx.outgoing.preserveHost = before;
    runRequest(createFilter(preserveHost, arg), ctx);
    expect(ctx.outgoing.preserveHost).toBe(after);
  });

  it('does not touch a Host set by setRequestHeader, in either order', () => {
    for (const order of [
      [createFilter(setRequestHeader, 'Host', 'set.internal'), createFilter(preserveHost, 'false')],
      [createFilter(preserveHost, 'false'), createFilter(setRequestHeader, 'Host', 'set.internal')],
    ]) {
      const ctx = filterContext({ host: 'client.example.org' });
      for (const filter of order) runRequest(filter, ctx);
      expect(ctx.outgoing.preserveHost).toBe(false);
      expect(ctx.outgoing.headers.host).toBe('set.internal');
    }
  });
});
