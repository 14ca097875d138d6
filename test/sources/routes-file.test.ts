/** Routes files: loaded at start, reloaded on change, a bad edit keeps the last good routes. */
import { afterEach, describe, expect, it } from 'vitest';
import { writeFile, rename } from 'node:fs/promises';
import { startEcho, type TestServer } from '../helpers/upstream.js';
import { startSkiff, type RunningSkiff } from '../helpers/skiff.js';
import { request } from '../helpers/http.js';

let echo: TestServer | undefined;
let proxy: RunningSkiff | undefined;
afterEach(async () => {
  await proxy?.stop();
  await echo?.close();
  proxy = echo = undefined;
});

async function eventually(check: () => Promise<boolean>, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not reached in time');
}

describe('routes file source', () => {
  it('serves a new route soon after the file changes', async () => {
    proxy = await startSkiff(`a: Path("/a") -> inlineContent("A") -> <shunt>;`);
    expect((await request(`${proxy.url}/b`)).status).toBe(404);
    await writeFile(proxy.routesFile, `a: Path("/a") -> inlineContent("A") -> <shunt>; b: Path("/b") -> inlineContent("B") -> <shunt>;`);
    await eventually(async () => (await request(`${proxy!.url}/b`)).text === 'B');
  });

  it('follows a file replaced by rename, as ConfigMap mounts and editors do', async () => {
    proxy = await startSkiff(`a: Path("/a") -> inlineContent("one") -> <shunt>;`);
    const tmp = proxy.routesFile + '.tmp';
    await writeFile(tmp, `a: Path("/a") -> inlineContent("two") -> <shunt>;`);
    await rename(tmp, proxy.routesFile);
    await eventually(async () => (await request(`${proxy!.url}/a`)).text === 'two');
  });

  it('keeps the last good table when the file stops parsing, and says why', async () => {
    proxy = await startSkiff(`a: Path("/a") -> inlineContent("A") -> <shunt>;`);
    await writeFile(proxy.routesFile, `a: Path("/a") -> inlineContent("A") -> ;`);
    await eventually(async () => (await request(`${proxy!.supportUrl}/routes?invalid`)).text.includes('SKIFF_ERR_PARSE'));
    expect((await request(`${proxy.url}/a`)).text).toBe('A');
    const invalid = await request(`${proxy.supportUrl}/routes?invalid`);
    expect(invalid.text).toMatch(/line 1, column \d+/);
  });

  it('sets aside one bad route and serves the rest', async () => {
    echo = await startEcho();
    proxy = await startSkiff(`
      good: Path("/good") -> "${echo.url}";
      bad: Path("/bad") -> noSuchFilter() -> "${echo.url}";`);
    expect((await request(`${proxy.url}/good`)).status).toBe(200);
    // it fails closed in its place
    expect((await request(`${proxy.url}/bad`)).status).toBe(500);
    const invalid = await request(`${proxy.supportUrl}/routes?invalid`, { headers: { accept: 'application/json' } });
    const list = JSON.parse(invalid.text) as { id: string; code: string }[];
    expect(list).toEqual([expect.objectContaining({ id: 'bad', code: 'SKIFF_ERR_UNKNOWN_FILTER' })]);
  });
});
