/**
 * The usual pair of an end-to-end test, a backend and a skiff in front of it, stopped after each
 * test: assign `t.backend` and `t.proxy` in the test; whatever is set is stopped afterwards.
 */
import { afterEach } from 'vitest';
import type { TestServer } from './upstream.js';
import type { RunningSkiff } from './skiff.js';

export interface PerTest {
  backend?: TestServer;
  proxy?: RunningSkiff;
}

export function stoppedAfterEach(): PerTest {
  const t: PerTest = {};
  afterEach(async () => {
    await t.proxy?.stop();
    await t.backend?.close();
    t.proxy = t.backend = undefined;
  });
  return t;
}
