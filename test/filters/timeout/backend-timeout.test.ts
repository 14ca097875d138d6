import { describe, expect, it } from 'vitest';
import { backendTimeout } from '../../../filters/timeout/backend-timeout.js';
import type { Arg } from '../../../src/spec.js';
import { createFilter, filterContext, runRequest } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';

describe('backendTimeout: arguments', () => {
  it.each([
    [[]],
    [['10s', '5s']],
    [['ten']],
    [['10']],
    [['0']],
    [['-1s']],
    [[0]],
    [[-5]],
    [[Number.POSITIVE_INFINITY]],
    [['9999h']],
    [[{ regexp: '10s' }]],
  ] as Arg[][][])('rejects %j', (args) => {
    expectInvalidArgs(backendTimeout, args);
  });
});

describe('backendTimeout', () => {
  it.each([
    ['10s', 10_000],
    ['500ms', 500],
    ['1m30s', 90_000],
    ['1500us', 2],
    ['1ns', 1],
    [250, 250],
    [0.2, 1],
  ] as [Arg, number][])('%j sets timeoutMs to %d', (arg, ms) => {
    const ctx = filterContext();
    expect(ctx.outgoing.timeoutMs).toBeUndefined();
    runRequest(createFilter(backendTimeout, arg), ctx);
    expect(ctx.outgoing.timeoutMs).toBe(ms);
  });
});
