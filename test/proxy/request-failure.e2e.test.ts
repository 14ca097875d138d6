/**
 * A failure of code on the request path (here a plugin predicate that throws) costs that one
 * request a 500 and its connection, never the process: the next request is served.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Predicate, PredicateSpec } from '../../src/spec.js';
import { startSkiff, type RunningSkiff } from '../helpers/skiff.js';
import { request } from '../helpers/http.js';

const throwing: PredicateSpec = {
  name: 'Fragile',
  create(): Predicate {
    return {
      match(req) {
        if (req.path === '/boom') throw new Error('fragile predicate failed');
        return true;
      },
    };
  },
};

let proxy: RunningSkiff;
beforeAll(async () => {
  proxy = await startSkiff(`fragile: Fragile() -> inlineContent("fine") -> <shunt>;`, { predicates: [throwing] });
});
afterAll(async () => {
  await proxy.stop();
});

describe('a request whose handling throws', () => {
  it('gets a 500 with the connection closed, and skiff keeps serving', async () => {
    const boom = await request(`${proxy.url}/boom`);
    expect(boom.status).toBe(500);
    expect(boom.headers.connection).toBe('close');
    const next = await request(`${proxy.url}/fine`);
    expect(next.status).toBe(200);
    expect(next.text).toBe('fine');
  });
});
