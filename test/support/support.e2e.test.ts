/** The support listener: health, readiness through a drain, and the live table. */
import { afterEach, describe, expect, it } from 'vitest';
import { startEcho, type TestServer } from '../helpers/upstream.js';
import { startSkiff, type RunningSkiff } from '../helpers/skiff.js';
import { request } from '../helpers/http.js';
import { parseRoutes } from '../../src/eskip/parser.js';
import { rawExchange } from '../hardening/raw.js';

let echo: TestServer | undefined;
let proxy: RunningSkiff | undefined;
afterEach(async () => {
  await proxy?.stop();
  await echo?.close();
  proxy = echo = undefined;
});

describe('support listener', () => {
  it('prints the live table as eskip that parses back, and as JSON', async () => {
    proxy = await startSkiff(`a: Path("/a") && Method("GET") -> setRequestHeader("X-A", "1") -> <shunt>; b: * -> <loopback>;`);
    const text = await request(`${proxy.supportUrl}/routes`);
    expect(text.status).toBe(200);
    expect(parseRoutes(text.text).map((r) => r.id).sort()).toEqual(['a', 'b']);
    expect(text.headers['x-count']).toBe('2');
    const json = JSON.parse((await request(`${proxy.supportUrl}/routes`, { headers: { accept: 'application/json' } })).text) as { id: string }[];
    expect(json.map((r) => r.id).sort()).toEqual(['a', 'b']);
    expect((await request(`${proxy.supportUrl}/routes`, { method: 'POST' })).status).toBe(405);
  });

  it('pages /routes by offset and limit, and refuses paging it cannot honour', async () => {
    proxy = await startSkiff(`a: Path("/a") -> <shunt>; b: Path("/b") -> <shunt>; c: Path("/c") -> <shunt>;`);
    const ids = async (query: string): Promise<string[]> => {
      const r = await request(`${proxy!.supportUrl}/routes?${query}`, { headers: { accept: 'application/json' } });
      expect(r.status, query).toBe(200);
      return (JSON.parse(r.text) as { id: string }[]).map((x) => x.id);
    };
    const all = await ids('');
    expect(all).toHaveLength(3);
    expect(await ids('offset=1&limit=1')).toEqual([all[1]]);
    expect(await ids('offset=2')).toEqual([all[2]]);
    expect(await ids('offset=9')).toEqual([]);
    expect(await ids('limit=0')).toEqual([]);
    // before, slice() read these from the end of the table
    for (const query of ['offset=-1', 'limit=-2', 'offset=1.5', 'limit=x', 'offset=1e3', 'limit=9999999999']) {
      expect((await request(`${proxy.supportUrl}/routes?${query}`)).status, query).toBe(400);
    }
  });

  it('answers targets that are not URLs (`//%`) instead of failing, and keeps serving', async () => {
    proxy = await startSkiff(`a: Path("/a") -> <shunt>;`);
    const port = Number(new URL(proxy.supportUrl).port);
    for (const target of ['//%', '//:', '//', 'http://x/routes', '/routes?listener=%ZZ&limit=x&offset=-1']) {
      const got = await rawExchange(port, `GET ${target} HTTP/1.1\r\nHost: s\r\nConnection: close\r\n\r\n`, { waitMs: 1000 });
      expect(got.statuses.length, target).toBe(1);
      expect(got.statuses[0]!, target).toBeLessThan(500);
    }
    expect((await request(`${proxy.supportUrl}/healthz`)).status).toBe(200);
  });

  it('is healthy and ready once the table is live, and not ready while draining', async () => {
    echo = await startEcho();
    proxy = await startSkiff(`r: * -> "${echo.url}";`);
    expect((await request(`${proxy.supportUrl}/healthz`)).status).toBe(200);
    expect((await request(`${proxy.supportUrl}/readyz`)).status).toBe(200);
    // the two requests below must fall inside the drain delay, also on a loaded machine
    const stopping = proxy.skiff.stop({ drainDelayMs: 1000 });
    await new Promise((r) => setTimeout(r, 50));
    expect((await request(`${proxy.supportUrl}/readyz`)).status).toBe(503);
    // Still serving during the drain delay, but telling clients to go elsewhere.
    const during = await request(`${proxy.url}/`);
    expect(during.status).toBe(200);
    expect(during.headers.connection).toBe('close');
    await stopping;
  });

  it('lets an in-flight request finish during shutdown', async () => {
    const { startServer } = await import('../helpers/upstream.js');
    let arrived!: () => void;
    const atBackend = new Promise<void>((r) => (arrived = r));
    const slow = await startServer((_req, res) => {
      arrived();
      setTimeout(() => res.end('done'), 400);
    });
    try {
      proxy = await startSkiff(`r: * -> "${slow.url}";`);
      const inflight = request(`${proxy.url}/`);
      // in flight once the backend has it (a fixed wait could end before the request got there)
      await atBackend;
      await proxy.skiff.stop({ drainDelayMs: 0 });
      const r = await inflight;
      expect(r.status).toBe(200);
      expect(r.text).toBe('done');
    } finally {
      await slow.close();
    }
  });
});
