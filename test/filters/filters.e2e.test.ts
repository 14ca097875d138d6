/**
 * The built-in filters through the real proxy: skiff on an ephemeral loopback port with routes
 * files using them, a real echo upstream, and a plain HTTP client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEcho, startServer, type Received, type TestServer } from '../helpers/upstream.js';
import { startSkiff, type RunningSkiff } from '../helpers/skiff.js';
import { json, request } from '../helpers/http.js';

let echo: TestServer;
let slow: TestServer;
let proxy: RunningSkiff;

beforeAll(async () => {
  echo = await startEcho('echo');
  slow = await startServer((_req, res) => {
    const timer = setTimeout(() => res.end('late'), 2000);
    res.on('close', () => clearTimeout(timer));
  });
  proxy = await startSkiff(`
    hdr: Path("/hdr/:id")
      -> setRequestHeader("X-Id", "\${id}")
      -> setRequestHeader("X-Tenant", "\${request.header.X-Tenant}")
      -> setRequestHeader("X-Missing", "\${request.cookie.none}")
      -> appendRequestHeader("X-List", "two")
      -> dropRequestHeader("X-Secret")
      -> setRequestHeader("Host", "upstream.internal")
      -> setResponseHeader("X-Seen-Path", "\${request.path}")
      -> dropResponseHeader("Content-Type")
      -> appendResponseHeader("X-Backend", "\${response.header.Content-Type}")
      -> "${echo.url}";
    paths: PathSubtree("/v1")
      -> modPath(/^\\/v1\\/(.*)$/, "/v2/$1")
      -> "${echo.url}";
    setp: Path("/users/:id")
      -> setPath("/api/users/\${id}/profile")
      -> "${echo.url}";
    redir: Path("/old") -> redirectTo(308, "https://new.example.org") -> <shunt>;
    inline: Path("/hello") -> setResponseHeader("X-Inline", "yes") -> inlineContent("<p>hi</p>") -> <shunt>;
    after: Path("/after") -> inlineContent("x") -> setResponseHeader("X-After", "yes") -> <shunt>;
    teapot: Path("/teapot") -> status(418) -> inlineContent("short and stout") -> <shunt>;
    slow: Path("/slow") -> backendTimeout("150ms") -> "${slow.url}";
    swap: Path("/swap") -> preserveHost("false") -> "${echo.url}";
    noted: Path("/noted") -> comment("kept for the docs") -> annotate("owner", "team-a") -> "${echo.url}";
  `);
});

afterAll(async () => {
  await proxy.stop();
  await echo.close();
  await slow.close();
});

describe('built-in filters end to end', () => {
  // Response filters run in reverse: appendResponseHeader reads Content-Type before the
  // dropResponseHeader written ahead of it removes it.
  it('changes request headers, Host and response headers', async () => {
    const r = await json<Received>(`${proxy.url}/hdr/42?x=1`, {
      headers: { 'X-Tenant': 'blue', 'X-List': 'one', 'X-Secret': 'pw' },
    });
    expect(r.status).toBe(200);
    expect(r.body.url).toBe('/hdr/42?x=1');
    expect(r.body.headers['x-id']).toBe('42');
    expect(r.body.headers['x-tenant']).toBe('blue');
    expect(r.body.headers['x-missing']).toBeUndefined();
    expect(r.body.headers['x-list']).toBe('one, two');
    expect(r.body.headers['x-secret']).toBeUndefined();
    expect(r.body.headers.host).toBe('upstream.internal');
    expect(r.headers['x-seen-path']).toBe('/hdr/42');
    expect(r.headers['x-backend']).toBe('application/json');
    expect(r.headers['content-type']).toBeUndefined();
  });

  it('rewrites the path with modPath and setPath, keeping the query', async () => {
    const mod = await json<Received>(`${proxy.url}/v1/items/7?q=a`);
    expect(mod.body.url).toBe('/v2/items/7?q=a');
    const set = await json<Received>(`${proxy.url}/users/ann?full=1`);
    expect(set.body.url).toBe('/api/users/ann/profile?full=1');
  });

  it('redirects with a partial location', async () => {
    const r = await request(`${proxy.url}/old?a=1`, { headers: { host: 'shop.example.org' } });
    expect(r.status).toBe(308);
    expect(r.headers.location).toBe('https://new.example.org/old?a=1');
  });

  it('serves inline content, with response filters applied', async () => {
    const r = await request(`${proxy.url}/hello`);
    expect(r.status).toBe(200);
    expect(r.text).toBe('<p>hi</p>');
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-length']).toBe('9');
    expect(r.headers['x-inline']).toBe('yes');
  });

  it('skips the filters after inlineContent, response phase included', async () => {
    const r = await request(`${proxy.url}/after`);
    expect(r.status).toBe(200);
    expect(r.text).toBe('x');
    expect(r.headers['x-after']).toBeUndefined();
  });

  it('sets the status of a local reply', async () => {
    const r = await request(`${proxy.url}/teapot`);
    expect(r.status).toBe(418);
    expect(r.text).toBe('short and stout');
  });

  it('answers 504 when the backend is slower than backendTimeout', async () => {
    const started = Date.now();
    const r = await request(`${proxy.url}/slow`);
    expect(r.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("sends the backend's address as Host with preserveHost(\"false\")", async () => {
    const r = await json<Received>(`${proxy.url}/swap`, { headers: { host: 'client.example.org' } });
    expect(r.body.headers.host).toBe(`127.0.0.1:${echo.port}`);
  });

  it('passes requests through comment and annotate untouched', async () => {
    const r = await json<Received>(`${proxy.url}/noted`);
    expect(r.status).toBe(200);
    expect(r.body.url).toBe('/noted');
  });
});
