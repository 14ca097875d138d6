/**
 * The router's memory limit against what its processes really take. skiff starts one primary
 * and `--workers` proxy processes, each a whole Node.js runtime; left to its default, the
 * worker count is the node's CPU count, which no fixed limit fits. The resident memory is
 * measured here, not assumed: `--workers 2` on loopback with 1,000 routes, after 2,000
 * requests, VmRSS of every process. The rendered DaemonSet of the base and of the AWS overlay
 * must then hold primary + workers x worker + headroom under its limit, on any node size.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/options.js';
import { skiffBuilt } from '../helpers/process.js';
import { fillPlaceholders, haveKubectl, mebibytes, render, routerContainer, type Loose } from './kustomize.js';
import { measureRss, type RssSample } from './rss.js';

const built = skiffBuilt();
const canMeasure = built && process.platform === 'linux';
if (!haveKubectl) console.warn('test/deploy/memory: skipped, kubectl is not installed (it renders the kustomizations)');
else if (!canMeasure) console.warn('test/deploy/memory: skipped, needs dist/ (npm run build) and /proc to measure the processes');

/**
 * Headroom over the measured sum, as a share of it: the sample is taken after a short, light
 * load; sustained load with many connections adds about 10 % per worker, a cluster's table can
 * be larger than 1,000 routes, and V8 lets garbage build up before it collects.
 */
const HEADROOM = 0.5;

/** What the pod needs with `workers` workers, by the rule in docs/operations.md. */
function neededMib(sample: RssSample, workers: number): number {
  const worker = Math.max(...sample.workersMib);
  return (sample.primaryMib + workers * worker) * (1 + HEADROOM);
}

let sample: RssSample;

beforeAll(async () => {
  if (!haveKubectl || !canMeasure) return;
  const container = routerContainer(render('base'));
  const nodeOptions = (container.env as { name: string; value: string }[]).find((e) => e.name === 'NODE_OPTIONS')?.value;
  // the processes as the pod runs them: the same heap cap
  sample = await measureRss({ workers: 2, routes: 1000, requests: 2000, ...(nodeOptions === undefined ? {} : { nodeOptions }) });
  console.info(`test/deploy/memory: VmRSS primary ${sample.primaryMib.toFixed(1)} MiB, workers ${sample.workersMib.map((w) => w.toFixed(1)).join(' and ')} MiB`);
}, 90_000);

describe.skipIf(!haveKubectl || !canMeasure)('memory limit of the router', () => {
  it('measures a plausible sample: two workers, each a Node.js process of tens of MiB', () => {
    expect(sample.workersMib).toHaveLength(2);
    for (const w of [sample.primaryMib, ...sample.workersMib]) {
      expect(w).toBeGreaterThan(30);
      expect(w).toBeLessThan(400);
    }
  });

  it('computes the rule from the measurement: more workers need more memory', () => {
    expect(neededMib(sample, 4)).toBeGreaterThan(neededMib(sample, 2));
    expect(neededMib(sample, 8) - neededMib(sample, 4)).toBeCloseTo(4 * Math.max(...sample.workersMib) * (1 + HEADROOM), 5);
  });

  for (const dir of ['base', 'overlays/aws']) {
    describe(`deploy/${dir}`, () => {
      const container: Loose = haveKubectl ? routerContainer(render(dir)) : null;
      const args = haveKubectl ? (container.args as string[]).map(fillPlaceholders) : [];

      it('sets --workers itself instead of taking one worker per CPU of the node', () => {
        expect(args.filter((a) => a === '--workers' || a.startsWith('--workers='))).toHaveLength(1);
      });

      // The node sizes a DaemonSet meets: the same manifest runs on all of them.
      for (const cpus of [2, 8, 64]) {
        it(`fits primary + workers x measured worker RSS + ${HEADROOM * 100}% under the memory limit on a node of ${cpus} CPUs`, () => {
          // what the parser makes of the arguments on such a node (without --workers: one per CPU)
          const explicit = args.some((a) => a === '--workers' || a.startsWith('--workers='));
          const workers = explicit ? parseCommandLine(args, {}).workers : cpus;
          const limit = mebibytes(container.resources.limits.memory as string);
          expect(neededMib(sample, workers), `${workers} workers under ${limit} MiB`).toBeLessThanOrEqual(limit);
        });
      }

      it('requests at least what the processes take at rest, so the scheduler reserves it', () => {
        const workers = parseCommandLine(args, {}).workers;
        const request = mebibytes(container.resources.requests.memory as string);
        expect(request).toBeGreaterThanOrEqual(sample.primaryMib + workers * Math.max(...sample.workersMib));
      });
    });
  }
});
