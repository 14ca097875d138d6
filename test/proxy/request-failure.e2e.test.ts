/**
 * A failure of code on the request path (here a plugin predicate that throws) costs that one
 * request a 500 and its connection, never the process: the next request is served.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import type { FilterSpec, Predicate, PredicateSpec } from '../../src/spec.js';
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

/** Counts the closing of its filters: a table's filters close when the table is retired. */
let closed = 0;
const closeCounter: FilterSpec = {
  name: 'closeCounter',
  create: () => ({ close: () => void closed++ }),
};

let proxy: RunningSkiff;
beforeAll(async () => {
  proxy = await startSkiff(`fragile: Fragile() -> closeCounter() -> inlineContent("fine") -> <shunt>;`, {
    predicates: [throwing],
    filters: [closeCounter],
  });
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

  it('gives the route table back, so a replaced table is closed at once, not after the grace time', async () => {
    expect((await request(`${proxy.url}/boom`)).status).toBe(500);
    expect(closed).toBe(0);
    await writeFile(proxy.routesFile, `other: Path("/other") -> closeCounter() -> inlineContent("other") -> <shunt>;`);
    for (let i = 0; i < 200 && closed === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(closed).toBe(1);
    expect((await request(`${proxy.url}/other`)).text).toBe('other');
  });
});
