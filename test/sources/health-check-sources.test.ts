/**
 * --health-check-source-ranges through the command line wiring: the load balancer health route
 * answers exactly the sources given, in place of the private and loopback ranges.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFrom } from '../../src/cli/main.js';
import { parseCommandLine } from '../../src/cli/options.js';
import { createSkiff, type Skiff } from '../../src/skiff.js';
import { silentLogger } from '../../src/log.js';
import { HEALTHCHECK_PATH } from '../../src/kubernetes/translate/index.js';

let dir: string;
const running: Skiff[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skiff-health-sources-'));
});

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop({ drainDelayMs: 0 })));
  await rm(dir, { recursive: true, force: true });
});

async function healthStatus(extra: string[]): Promise<number> {
  const opts = parseCommandLine(['--ingress-dir', dir, '--address', '127.0.0.1:0', '--support-address', 'off', ...extra], {});
  const skiff = createSkiff({ ...configFrom(opts, silentLogger), shutdownDeadlineMs: 2000 });
  running.push(skiff);
  await skiff.start();
  const res = await fetch(`http://127.0.0.1:${skiff.addresses.get('default')!.port}${HEALTHCHECK_PATH}`);
  await res.arrayBuffer();
  return res.status;
}

describe('--health-check-source-ranges', () => {
  it('replaces the private and loopback ranges the health route answers', async () => {
    expect(await healthStatus([])).toBe(200);
    // Loopback is no longer among the sources: the request from 127.0.0.1 is not the health check.
    expect(await healthStatus(['--health-check-source-ranges', '100.64.0.0/10'])).toBe(404);
    expect(await healthStatus(['--health-check-source-ranges', '100.64.0.0/10, 127.0.0.1/32'])).toBe(200);
  });
});
