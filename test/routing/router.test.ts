/** Router: atomic swap, and closing a retired table's filters once its requests are done. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Router } from '../../src/routing/router.js';
import { type FilterLog, deps, tableOf } from './table-support.js';
import { request } from '../predicates/create.js';

function tables(l: FilterLog) {
  return {
    a: tableOf(`a: * -> tag("a") -> <shunt>;`, deps(l)),
    b: tableOf(`b: * -> tag("b") -> <shunt>;`, deps(l)),
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('Router', () => {
  it('swaps atomically and closes an idle old table at once', () => {
    const l: FilterLog = { created: [], closed: [] };
    const { a, b } = tables(l);
    const router = new Router(a);
    expect(router.current.lookup(request())?.route.id).toBe('a');
    router.swap(b);
    expect(router.current).toBe(b);
    expect(router.current.lookup(request())?.route.id).toBe('b');
    expect(l.closed).toEqual(['tag(a)']);
  });

  it('lets in-flight requests finish on their table before closing it', () => {
    const l: FilterLog = { created: [], closed: [] };
    const { a, b } = tables(l);
    const router = new Router(a);
    const held = router.acquire();
    router.swap(b);
    expect(held.lookup(request())?.route.id).toBe('a');
    expect(l.closed).toEqual([]);
    expect(router.retiringCount).toBe(1);
    router.release(held);
    expect(l.closed).toEqual(['tag(a)']);
    expect(router.retiringCount).toBe(0);
  });

  it('does not close the live table when its requests finish', () => {
    const l: FilterLog = { created: [], closed: [] };
    const { a } = tables(l);
    const router = new Router(a);
    router.release(router.acquire());
    expect(l.closed).toEqual([]);
  });

  it('closes a retired table after the grace period if a request never comes back', () => {
    vi.useFakeTimers();
    const l: FilterLog = { created: [], closed: [] };
    const { a, b } = tables(l);
    const router = new Router(a, { graceMs: 1000 });
    router.acquire();
    router.swap(b);
    vi.advanceTimersByTime(999);
    expect(l.closed).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(l.closed).toEqual(['tag(a)']);
  });

  it('keeps a retiring table that is swapped back in', () => {
    vi.useFakeTimers();
    const l: FilterLog = { created: [], closed: [] };
    const { a, b } = tables(l);
    const router = new Router(a, { graceMs: 1000 });
    const held = router.acquire();
    router.swap(b);
    router.swap(a);
    vi.advanceTimersByTime(5000);
    router.release(held);
    expect(l.closed).toEqual(['tag(b)']);
    expect(router.current).toBe(a);
  });

  it('refuses to swap in a closed table', () => {
    const l: FilterLog = { created: [], closed: [] };
    const { a, b } = tables(l);
    const router = new Router(a);
    router.swap(b);
    expect(() => router.swap(a)).toThrow(/closed/);
    expect(router.current).toBe(b);
  });

  it('close() closes the live and the retiring tables', () => {
    const l: FilterLog = { created: [], closed: [] };
    const { a, b } = tables(l);
    const router = new Router(a);
    router.acquire();
    router.swap(b);
    router.close();
    expect(l.closed.sort()).toEqual(['tag(a)', 'tag(b)']);
  });
});
