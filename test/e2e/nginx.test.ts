/**
 * skiff behind a real load balancer: nginx plays the ALB (appends the client to X-Forwarded-For,
 * sets X-Forwarded-Proto https, keeps upstream connections alive, retries another target on a
 * connection error) in front of real `node bin/skiff.js` processes. Checked here: the forwarded
 * chain a backend sees, IP allow lists on the client nginx saw (not on a spoofed entry), and a
 * rollout under steady load (one skiff drains and exits, the other keeps serving) that loses no
 * request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { startEcho, startServer, type TestServer } from '../helpers/upstream.js';
import { json, request } from '../helpers/http.js';
import { probe, skiffBuilt, spawnSkiff, waitFor, type SkiffProcess } from '../helpers/process.js';
import { CLIENT_ADDRESS_HEADER, findNginx, nginxHasRealIp, startAlbStandIn, type AlbStandIn } from '../helpers/nginx.js';

const nginx = findNginx();
const skipReason =
  nginx === null
    ? 'nginx is not installed (apt-get install nginx-light; .ci/run installs it)'
    : !nginxHasRealIp(nginx)
      ? `${nginx} has no realip module`
      : !skiffBuilt()
        ? 'dist/ is missing (run `npm run build`)'
        : null;
if (skipReason !== null) console.warn(`test/e2e/nginx: skipped, ${skipReason}`);

const healthRoutes = `
kube__healthz_down: Path("/kube-system/healthz") && Source("127.0.0.0/8") && Shutdown() -> status(503) -> <shunt>;
kube__healthz_up: Path("/kube-system/healthz") && Source("127.0.0.0/8") -> status(200) -> <shunt>;
`;

async function routesFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-e2e-'));
  const file = join(dir, 'routes.eskip');
  await writeFile(file, text);
  return file;
}

/** The flags of a skiff behind one ALB on loopback: the ALB is 127.0.0.1 and adds one entry. */
const behindAlb = ['--trusted-proxies', '127.0.0.1/32', '--trusted-hops', '1'];

function skiffArgs(file: string, extra: readonly string[] = []): string[] {
  return ['--address', '127.0.0.1:0', '--support-address', '127.0.0.1:0', '--routes-file', file, ...extra];
}

interface Seen {
  url: string;
  headers: Record<string, string | undefined>;
}

describe.skipIf(skipReason !== null)('skiff behind nginx playing the ALB', () => {
  describe('client address', () => {
    let echo: TestServer;
    let trusting: SkiffProcess;
    let untrusting: SkiffProcess;
    let alb: AlbStandIn;
    let albToUntrusting: AlbStandIn;

    beforeAll(async () => {
      echo = await startEcho();
      const file = await routesFile(`${healthRoutes}
        allowed: Path("/allowed") -> ipAllowList("198.51.100.0/24") -> "${echo.url}";
        echo: PathSubtree("/") -> "${echo.url}";`);
      [trusting, untrusting] = await Promise.all([spawnSkiff(skiffArgs(file, behindAlb)), spawnSkiff(skiffArgs(file))]);
      [alb, albToUntrusting] = await Promise.all([
        startAlbStandIn(nginx!, { upstreamPorts: [Number(new URL(trusting.url).port)] }),
        startAlbStandIn(nginx!, { upstreamPorts: [Number(new URL(untrusting.url).port)] }),
      ]);
    });

    afterAll(async () => {
      await Promise.all([alb?.stop(), albToUntrusting?.stop()]);
      await Promise.all([trusting?.stop(), untrusting?.stop()]);
      await echo?.close();
    });

    it('hands the backend the client chain intact plus both hops, and the proto the ALB set', async () => {
      const r = await json<Seen>(`${alb.url}/echo/chain`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
      expect(r.status).toBe(200);
      expect(r.body.headers['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1, 127.0.0.1');
      expect(r.body.headers['x-forwarded-proto']).toBe('https');
      // the test's own control header ends at nginx
      expect(r.body.headers[CLIENT_ADDRESS_HEADER]).toBeUndefined();

      const played = await json<Seen>(`${alb.url}/echo/played`, { headers: { [CLIENT_ADDRESS_HEADER]: '198.51.100.7' } });
      expect(played.body.headers['x-forwarded-for']).toBe('198.51.100.7, 127.0.0.1');
    });

    it('believes X-Forwarded-Proto only from a trusted peer', async () => {
      const r = await json<Seen>(`${albToUntrusting.url}/echo/proto`);
      expect(r.status).toBe(200);
      // nginx said https, but without --trusted-proxies skiff describes its own listener
      expect(r.body.headers['x-forwarded-proto']).toBe('http');
      expect(r.body.headers['x-forwarded-for']).toBe('127.0.0.1, 127.0.0.1');
    });

    it('allow-lists the client nginx saw, whatever the client wrote into X-Forwarded-For', async () => {
      const before = echo.received.filter((r) => r.url === '/allowed').length;
      const as = (client: string | null, xff?: string): Promise<number> =>
        request(`${alb.url}/allowed`, {
          headers: { ...(client === null ? {} : { [CLIENT_ADDRESS_HEADER]: client }), ...(xff === undefined ? {} : { 'x-forwarded-for': xff }) },
        }).then((r) => r.status);

      expect(await as('198.51.100.7')).toBe(200);
      expect(await as('198.51.100.200', '192.0.2.1')).toBe(200);
      expect(await as('192.0.2.10')).toBe(403);
      // a spoofed leftmost entry does not get through
      expect(await as('192.0.2.10', '198.51.100.7')).toBe(403);
      expect(await as(null, '198.51.100.7')).toBe(403);
      expect(await as(null, '198.51.100.7, 198.51.100.8')).toBe(403);
      expect(echo.received.filter((r) => r.url === '/allowed').length - before).toBe(2);
    });

    it('without trusted proxies the ALB itself is the client, so the allow list refuses everyone', async () => {
      const r = await request(`${albToUntrusting.url}/allowed`, { headers: { [CLIENT_ADDRESS_HEADER]: '198.51.100.7' } });
      expect(r.status).toBe(403);
    });

    it('answers the ALB health check on the health route of the proxy port', async () => {
      expect(await probe(`${trusting.url}/kube-system/healthz`)).toBe(200);
    });
  });

  describe('rollout', () => {
    let backend: TestServer;
    let a: SkiffProcess;
    let b: SkiffProcess;
    let alb: AlbStandIn;

    beforeAll(async () => {
      backend = await startServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 });
        res.end('ok');
      });
      const routes = (name: string): string =>
        `${healthRoutes} load: PathSubtree("/load") -> setResponseHeader("X-Served-By", "${name}") -> "${backend.url}";`;
      const drain = ['--drain-delay', '3s', '--shutdown-deadline', '5s', ...behindAlb];
      [a, b] = await Promise.all([
        spawnSkiff(skiffArgs(await routesFile(routes('a')), drain)),
        spawnSkiff(skiffArgs(await routesFile(routes('b')), drain)),
      ]);
      alb = await startAlbStandIn(nginx!, { upstreamPorts: [Number(new URL(a.url).port), Number(new URL(b.url).port)] });
    });

    afterAll(async () => {
      await alb?.stop();
      await Promise.all([a?.stop(), b?.stop()]);
      await backend?.close();
    });

    it('loses no request while one instance drains and exits under steady load', { timeout: 90_000 }, async () => {
      const minRequests = 20_000;
      // long enough for nginx to try the gone instance again after fail_timeout (10 s)
      const minDurationMs = 15_000;
      const workers = 12;
      const capMs = 60_000;
      const pool = new Pool(alb.url, { connections: workers, pipelining: 1 });
      const stats = { ok: 0, failed: 0, servedBy: { a: 0, b: 0 } as Record<string, number>, aDuringDrain: 0, bAfterExit: 0 };
      const errors: string[] = [];
      let phase: 'before' | 'draining' | 'exited' = 'before';
      let stop = false;
      const t0 = performance.now();

      const worker = async (id: number): Promise<void> => {
        for (let n = 0; !stop; n++) {
          try {
            const res = await pool.request({ method: 'GET', path: `/load/${id}/${n}` });
            const body = await res.body.text();
            const by = String(res.headers['x-served-by']);
            if (res.statusCode === 200 && body === 'ok' && (by === 'a' || by === 'b')) {
              stats.ok++;
              stats.servedBy[by]!++;
              if (by === 'a' && phase === 'draining') stats.aDuringDrain++;
              if (by === 'b' && phase === 'exited') stats.bAfterExit++;
            } else {
              stats.failed++;
              if (errors.length < 10) errors.push(`${res.statusCode} ${by} ${body.slice(0, 80)}`);
            }
          } catch (err) {
            stats.failed++;
            if (errors.length < 10) errors.push(String(err));
          }
        }
      };
      const running = Array.from({ length: workers }, (_, i) => worker(i));

      try {
        await waitFor(() => stats.ok + stats.failed >= 4000, 20_000, 'load did not get going');
        const aServedBefore = stats.servedBy.a!;
        const termAt = performance.now();
        phase = 'draining';
        a.signal('SIGTERM');
        // the health route fails at once, so an ALB would start taking the target out
        await waitFor(async () => (await probe(`${a.url}/kube-system/healthz`)) === 503, 1000, 'health route did not turn 503');
        const exit = await a.exited;
        phase = 'exited';
        const exitAfterMs = exit.at - termAt;
        await waitFor(
          () =>
            (stats.ok + stats.failed >= minRequests && performance.now() - t0 >= minDurationMs && stats.bAfterExit >= 1000) ||
            performance.now() - t0 > capMs,
          capMs,
          'load loop overran',
          50,
        );
        stop = true;
        await Promise.all(running);
        const elapsed = (performance.now() - t0) / 1000;
        const retries = (await alb.errorLog()).split('\n').filter((l) => l.includes('upstream')).length;
        console.log(
          `rollout: ${stats.ok + stats.failed} requests in ${elapsed.toFixed(1)} s (${Math.round((stats.ok + stats.failed) / elapsed)}/s), ` +
            `${stats.failed} failed; a served ${aServedBefore} before SIGTERM and ${stats.aDuringDrain} while draining, ` +
            `exited ${Math.round(exitAfterMs)} ms after SIGTERM; b served ${stats.bAfterExit} after a exited; ` +
            `nginx logged ${retries} upstream errors (retried on b)`,
        );

        expect(errors).toEqual([]);
        expect(stats.failed).toBe(0);
        expect(stats.ok).toBeGreaterThanOrEqual(minRequests);
        expect(exit).toMatchObject({ code: 0, signal: null });
        // a kept serving through the drain delay, then left, and b carried on alone
        expect(aServedBefore).toBeGreaterThan(500);
        expect(stats.aDuringDrain).toBeGreaterThan(0);
        expect(exitAfterMs).toBeGreaterThan(2900);
        expect(exitAfterMs).toBeLessThan(8000 + 1000);
        expect(stats.bAfterExit).toBeGreaterThanOrEqual(1000);
      } finally {
        stop = true;
        await Promise.all(running);
        await pool.close();
      }
    });
  });
});
