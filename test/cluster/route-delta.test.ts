/**
 * What the primary sends its workers after a rebuild: only the changed positions after an
 * endpoint change, the whole list otherwise; and what a worker makes of it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RouteDefinition } from '../../src/eskip/definition.js';
import { applyRoutesMessage, routesMessage } from '../../src/cluster/route-delta.js';
import type { RouteSet } from '../../src/cluster/route-delta.js';
import { RouteInbox } from '../../src/cluster/inbox.js';
import type { SourceUpdate } from '../../src/sources/source.js';

const route = (id: string, address = 'http://10.0.0.1:80'): RouteDefinition => ({ id, predicates: [], filters: [], backend: { type: 'network', address } });

describe('routesMessage', () => {
  const a = route('a');
  const b = route('b');
  const c = route('c');
  const d = route('d');

  it('sends the whole list first, then only the definitions that are new objects at their position', () => {
    const first = routesMessage('main', undefined, [a, b, c, d], []);
    expect(first.message).toEqual({ skiff: 'routes', listener: 'main', version: 1, routes: [a, b, c, d], invalid: [] });
    const b2 = route('b', 'http://10.0.0.2:80');
    const invalid = [{ id: 'x', code: 'SKIFF_ERR_INVALID_ROUTE', reason: 'r' }];
    const second = routesMessage('main', first.sent, [a, b2, c, d], invalid);
    expect(second.message).toEqual({ skiff: 'routes-changed', listener: 'main', base: 1, version: 2, changes: [[1, b2]], invalid });
    // the whole list stays at hand for workers that start later
    expect(second.whole).toEqual({ skiff: 'routes', listener: 'main', version: 2, routes: [a, b2, c, d], invalid });
  });

  it('sends the whole list when the length or an id changed, or when most definitions changed', () => {
    const first = routesMessage('main', undefined, [a, b, c, d], []).sent;
    expect(routesMessage('main', first, [a, b, c], []).message.skiff).toBe('routes');
    expect(routesMessage('main', first, [a, c, b, d], []).message.skiff).toBe('routes');
    expect(routesMessage('main', first, [route('a'), route('b'), route('c'), d], []).message.skiff).toBe('routes');
    expect(routesMessage('main', first, [route('a'), route('b'), c, d], []).message.skiff).toBe('routes-changed');
  });
});

describe('applyRoutesMessage', () => {
  const held: RouteSet = { version: 3, routes: [route('a'), route('b')], invalid: [] };

  it('applies a change to the version it names, and only to it', () => {
    const b2 = route('b', 'http://10.0.0.9:80');
    const after = applyRoutesMessage(held, { skiff: 'routes-changed', listener: 'main', base: 3, version: 4, changes: [[1, b2]], invalid: [] });
    expect(after).toEqual({ version: 4, routes: [held.routes[0], b2], invalid: [] });
    expect(after!.routes[0]).toBe(held.routes[0]);
    expect(held.routes[1]!.backend).toEqual({ type: 'network', address: 'http://10.0.0.1:80' });
    expect(applyRoutesMessage(held, { skiff: 'routes-changed', listener: 'main', base: 2, version: 4, changes: [[1, b2]], invalid: [] })).toBeUndefined();
    expect(applyRoutesMessage(undefined, { skiff: 'routes-changed', listener: 'main', base: 3, version: 4, changes: [[1, b2]], invalid: [] })).toBeUndefined();
    // a change that does not fit the list held is refused, not applied half-way
    expect(applyRoutesMessage(held, { skiff: 'routes-changed', listener: 'main', base: 3, version: 4, changes: [[1, route('z')]], invalid: [] })).toBeUndefined();
    expect(applyRoutesMessage(held, { skiff: 'routes-changed', listener: 'main', base: 3, version: 4, changes: [[5, b2]], invalid: [] })).toBeUndefined();
  });
});

describe('RouteInbox', () => {
  let inbox: RouteInbox | undefined;
  afterEach(() => inbox?.close());

  it('hands a listener source the lists it is sent and the changes to them', async () => {
    inbox = new RouteInbox();
    const got: SourceUpdate[] = [];
    const a = route('a');
    const b = route('b');
    process.emit('message', { skiff: 'routes', listener: 'main', version: 1, routes: [a, b], invalid: [] }, undefined);
    await inbox.sourceFor('main').start((u) => got.push(u));
    expect(got.map((u) => u.routes)).toEqual([[a, b]]);
    const b2 = route('b', 'http://10.0.0.2:80');
    process.emit('message', { skiff: 'routes-changed', listener: 'main', base: 1, version: 2, changes: [[1, b2]], invalid: [] }, undefined);
    expect(got).toHaveLength(2);
    expect(got[1]!.routes[0]).toBe(a);
    expect(got[1]!.routes[1]).toBe(b2);
    // a change to another version is not applied (the worker asks for the whole list instead)
    process.emit('message', { skiff: 'routes-changed', listener: 'main', base: 1, version: 3, changes: [[0, route('a', 'http://x:1')]], invalid: [] }, undefined);
    expect(got).toHaveLength(2);
  });
});
