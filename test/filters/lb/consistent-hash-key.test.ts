import { describe, expect, it } from 'vitest';
import { consistentHashKey } from '../../../filters/lb/consistent-hash-key.js';
import { consistentHashBalanceFactor } from '../../../filters/lb/consistent-hash-balance-factor.js';
import { CONSISTENT_HASH_BALANCE_FACTOR, CONSISTENT_HASH_KEY } from '../../../src/backend/balancer.js';
import type { Arg } from '../../../src/spec.js';
import { createFilter, filterContext, runRequest } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';

describe('consistentHashKey: arguments', () => {
  it.each([[[]], [[1]], [['a', 'b']], [[{ regexp: 'x' }]], [['${request.nope}']], [['${response.}']]] as Arg[][][])(
    'rejects %j',
    (args) => {
      expectInvalidArgs(consistentHashKey, args);
    },
  );
});

describe('consistentHashKey', () => {
  it('keeps the state key the balancer reads', () => {
    expect(CONSISTENT_HASH_KEY).toBe('consistentHashKey');
  });

  it('sets the key from a template', () => {
    const ctx = filterContext({ url: '/users/42?tenant=t1', headers: { 'x-user': 'alice' } });
    runRequest(createFilter(consistentHashKey, '${request.header.X-User}/${request.query.tenant}'), ctx);
    expect(ctx.state.get(CONSISTENT_HASH_KEY)).toBe('alice/t1');
  });

  it('sets a constant key', () => {
    const ctx = runRequest(createFilter(consistentHashKey, 'pinned'), filterContext());
    expect(ctx.state.get(CONSISTENT_HASH_KEY)).toBe('pinned');
  });

  it('uses path parameters', () => {
    const ctx = runRequest(createFilter(consistentHashKey, 'user-${id}'), filterContext({ params: { id: '7' } }));
    expect(ctx.state.get(CONSISTENT_HASH_KEY)).toBe('user-7');
  });

  it('sets no key when a placeholder is unresolved (missing or empty)', () => {
    const filter = createFilter(consistentHashKey, 'k: ${request.header.x-user}');
    expect(runRequest(filter, filterContext()).state.has(CONSISTENT_HASH_KEY)).toBe(false);
    expect(runRequest(filter, filterContext({ headers: { 'x-user': '' } })).state.has(CONSISTENT_HASH_KEY)).toBe(false);
  });

  it('overwrites an earlier key when it resolves, and keeps it when it does not', () => {
    const ctx = filterContext({ headers: { 'x-user': 'bob' } });
    runRequest(createFilter(consistentHashKey, 'first'), ctx);
    runRequest(createFilter(consistentHashKey, 'second: ${request.header.x-user}'), ctx);
    expect(ctx.state.get(CONSISTENT_HASH_KEY)).toBe('second: bob');
    runRequest(createFilter(consistentHashKey, 'third: ${request.header.missing}'), ctx);
    expect(ctx.state.get(CONSISTENT_HASH_KEY)).toBe('second: bob');
  });

  it('reads the request as earlier filters left it', () => {
    const ctx = filterContext({ headers: { 'x-user': 'client-said' } });
    ctx.outgoing.headers['x-user'] = 'filter-said';
    runRequest(createFilter(consistentHashKey, '${request.header.x-user}'), ctx);
    expect(ctx.state.get(CONSISTENT_HASH_KEY)).toBe('filter-said');
  });
});

describe('consistentHashBalanceFactor: arguments', () => {
  it.each([[[]], [['1.5']], [[0.99]], [[0]], [[-2]], [[1.5, 2]]] as Arg[][][])('rejects %j', (args) => {
    expectInvalidArgs(consistentHashBalanceFactor, args);
  });
});

describe('consistentHashBalanceFactor', () => {
  it.each([1, 1.25, 3])('stores %d for the balancer', (factor) => {
    const ctx = runRequest(createFilter(consistentHashBalanceFactor, factor), filterContext());
    expect(ctx.state.get(CONSISTENT_HASH_BALANCE_FACTOR)).toBe(factor);
    expect(CONSISTENT_HASH_BALANCE_FACTOR).toBe('consistentHashBalanceFactor');
  });
});
