import { describe, expect, it } from 'vitest';
import { status } from '../../../filters/status/status.js';
import type { Arg } from '../../../src/spec.js';
import { createFilter, filterContext, runRequest, runResponse } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';

describe('status: arguments', () => {
  it.each([[[]], [['418']], [[418, 1]], [[99]], [[600]], [[200.5]], [[Number.NaN]]] as Arg[][][])(
    'rejects %j',
    (args) => {
      expectInvalidArgs(status, args);
    },
  );
});

describe('status', () => {
  it.each([
    [418, 404],
    [200, 502],
    [503, 200],
    [100, 200],
    [599, 200],
  ])('sets %i over %i in the response phase', (code, upstream) => {
    const filter = createFilter(status, code);
    const ctx = runRequest(filter, filterContext());
    expect(ctx.served).toBe(false);
    expect(runResponse(filter, ctx, { status: upstream }).status).toBe(code);
  });

  it('overrides the status of a local reply', () => {
    const ctx = filterContext();
    ctx.serve({ status: 404 });
    expect(runResponse(createFilter(status, 418), ctx).status).toBe(418);
  });
});
