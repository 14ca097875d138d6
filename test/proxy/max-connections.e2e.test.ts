/**
 * --max-tcp-listener-concurrency: with the cap at 5, a 6th connection is closed as soon as it is
 * accepted, without an answer; the gauge shows 5 open and the counter 1 refused; once one of the
 * five closes, a new connection is served again. With --workers 2 each worker keeps its own cap
 * and closes what is past it (a connection a worker refused through Node's maxConnections would go
 * back to the primary and round again without end).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { Registry } from 'prom-client';
import { startSkiff, type RunningSkiff } from '../helpers/skiff.js';
import { startRecordingBackend, sleep, statusesOf, type RecordingBackend } from '../hardening/raw.js';
import { createConnectionMetrics } from '../../src/metrics/connection-metrics.js';
import { downstreamConnectionCounts } from '../../src/proxy/connection-counts.js';
import { parseCommandLine } from '../../src/cli/options.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { skiffBuilt, spawnSkiff } from '../helpers/process.js';

let backend: RecordingBackend;
let proxy: RunningSkiff;

beforeAll(async () => {
  backend = await startRecordingBackend();
  proxy = await startSkiff(`all: * -> "${backend.url}";`, { proxy: { maxTcpListenerConcurrency: 5 } });
});

afterAll(async () => {
  await proxy.stop();
  await backend.close();
});

const get = 'GET / HTTP/1.1\r\nHost: a.example\r\n\r\n';

/** A keep-alive connection that has made one request, or the text it got if it was closed instead. */
function connectAndAsk(port = proxy.port): Promise<{ socket: net.Socket; text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    let done = false;
    const finish = (closed: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ socket, text, closed });
    };
    const timer = setTimeout(() => finish(false), 1500);
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      if (/\r\n\r\nok$/.test(text)) finish(false);
    });
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('connect', () => socket.write(get));
  });
}

async function scrape(registry: Registry): Promise<string> {
  return registry.metrics();
}

describe('--max-tcp-listener-concurrency', () => {
  it('closes the connection past the cap at once, and counts it', async () => {
    const registry = new Registry();
    createConnectionMetrics(registry);
    const refusedBefore = downstreamConnectionCounts().refused;

    const kept = [];
    for (let i = 0; i < 5; i++) {
      const c = await connectAndAsk();
      expect(statusesOf(c.text)).toEqual([200]);
      expect(c.closed).toBe(false);
      kept.push(c.socket);
    }
    const sixth = await connectAndAsk();
    expect(sixth.closed).toBe(true);
    expect(sixth.text).toBe('');
    expect(downstreamConnectionCounts().refused - refusedBefore).toBe(1);

    const text = await scrape(registry);
    expect(text).toMatch(/^skiff_downstream_connections 5$/m);
    expect(text).toMatch(new RegExp(`^skiff_downstream_connections_refused_total ${refusedBefore + 1}$`, 'm'));

    // room again once one of the five has gone
    kept.pop()!.destroy();
    const deadline = Date.now() + 2000;
    while (downstreamConnectionCounts().open > 4 && Date.now() < deadline) await sleep(10);
    const next = await connectAndAsk();
    expect(statusesOf(next.text)).toEqual([200]);
    expect(next.closed).toBe(false);
    next.socket.destroy();
    for (const s of kept) s.destroy();
  });
});

describe('the option', () => {
  it("keeps Skipper's name, defaults to 10000 and takes 0 for no cap", () => {
    expect(parseCommandLine([], {}).maxTcpListenerConcurrency).toBe(10_000);
    expect(parseCommandLine(['--max-tcp-listener-concurrency', '5'], {}).maxTcpListenerConcurrency).toBe(5);
    expect(parseCommandLine(['--max-tcp-listener-concurrency', '0'], {}).maxTcpListenerConcurrency).toBe(0);
    expect(() => parseCommandLine(['--max-tcp-listener-concurrency', '-1'], {})).toThrow(/max-tcp-listener-concurrency/);
  });
});

describe.skipIf(!skiffBuilt())('--max-tcp-listener-concurrency with --workers 2', () => {
  it('caps each worker: past the cap connections are closed and counted, not passed round', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'skiff-maxconn-'));
    const routes = join(dir, 'routes.eskip');
    await writeFile(routes, `all: * -> "${backend.url}";\n`);
    const skiff = await spawnSkiff(['--address', '127.0.0.1:0', '--support-address', '127.0.0.1:0', '--routes-file', routes, '--workers', '2', '--max-tcp-listener-concurrency', '1']);
    const sockets: net.Socket[] = [];
    try {
      const port = Number(new URL(skiff.url).port);
      const outcomes: string[] = [];
      for (let i = 0; i < 6; i++) {
        const c = await connectAndAsk(port);
        sockets.push(c.socket);
        outcomes.push(c.closed ? 'closed' : statusesOf(c.text).join(','));
      }
      // round robin gives each worker connections; each serves one and closes the others
      expect(outcomes.filter((o) => o === '200')).toHaveLength(2);
      expect(outcomes.filter((o) => o === 'closed')).toHaveLength(4);
      const metrics = await (await fetch(`${skiff.supportUrl}/metrics`)).text();
      expect(metrics).toMatch(/^skiff_downstream_connections_refused_total 4$/m);
      expect(metrics).toMatch(/^skiff_downstream_connections 2$/m);
    } finally {
      for (const s of sockets) s.destroy();
      await skiff.stop(3000);
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
