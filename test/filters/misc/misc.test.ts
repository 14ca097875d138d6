import { describe, expect, it } from 'vitest';
import { annotate } from '../../../filters/misc/annotate.js';
import { comment } from '../../../filters/misc/comment.js';
import type { Arg } from '../../../src/spec.js';
import { expectInvalidArgs } from '../expect-invalid.js';

describe('comment', () => {
  it.each([[[]], [[1]], [['a', 'b']]] as Arg[][][])('rejects %j', (args) => {
    expectInvalidArgs(comment, args);
  });

  it('creates a filter with no request or response phase', () => {
    const filter = comment.create(['routes for the shop']);
    expect(filter.request).toBeUndefined();
    expect(filter.response).toBeUndefined();
  });
});

describe('annotate', () => {
  it.each([[[]], [['k']], [['k', 1]], [[1, 'v']], [['', 'v']], [['k', 'v', 'x']]] as Arg[][][])(
    'rejects %j',
    (args) => {
      expectInvalidArgs(annotate, args);
    },
  );

  it('creates a filter with no request or response phase', () => {
    const filter = annotate.create(['owner', 'team-a']);
    expect(filter.request).toBeUndefined();
    expect(filter.response).toBeUndefined();
  });
});
