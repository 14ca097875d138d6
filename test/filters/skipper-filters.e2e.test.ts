/**
 * The filters routes written for Skipper use most, beyond the everyday ones, through the real
 * proxy from a routes file: each is found in the built-in list and does its work on the wire.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEcho, startServer, type Received, type TestServer } from '../helpers/upstream.js';
import { startSkiff, type RunningSkiff } from '../helpers/skiff.js';
import { json, request } from '../helpers/http.js';

let echo: TestServer;
let missing: TestServer;
let proxy: RunningSkiff;

beforeAll(async () => {
  echo = await startEcho('echo');
  missing = await startServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('backend says no');
  });
  proxy = await startSkiff(`
    cors: Path("/cors") -> corsOrigin("https://shop.example.org") -> "${echo.url}";
    lower: Path("/Old/Path") -> redirectToLower(301, "https://new.example.org") -> <shunt>;
    nice404: Path("/gone") -> inlineContentIfStatus(404, "nothing here", "text/plain") -> "${missing.url}";
    query: Path("/query")
      -> setQuery("page", "1")
      -> dropQuery("debug")
      -> queryToHeader("tenant", "X-Tenant")
      -> "${echo.url}";
    strip: Path("/strip") -> stripQuery() -> "${echo.url}";
    headers: Path("/headers")
      -> modRequestHeader("X-Version", /^v(\\d+)$/, "version-$1")
      -> copyRequestHeader("X-Request-Id", "X-Trace")
      -> dropRequestHeaderRegexp("X-Flags", /^debug/)
      -> "${echo.url}";
  `);
});

afterAll(async () => {
  await proxy.stop();
  await echo.close();
  await missing.close();
});

describe('Skipper filters end to end', () => {
  it('corsOrigin echoes a listed Origin and leaves others without the header', async () => {
    const listed = await request(`${proxy.url}/cors`, { headers: { origin: 'https://shop.example.org' } });
    expect(listed.headers['access-control-allow-origin']).toBe('https://shop.example.org');
    const other = await request(`${proxy.url}/cors`, { headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('redirectToLower sends the path lower-cased', async () => {
    const r = await request(`${proxy.url}/Old/Path`);
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe('https://new.example.org/old/path');
  });

  it("inlineContentIfStatus replaces the backend's 404 body", async () => {
    const r = await request(`${proxy.url}/gone`);
    expect(r.status).toBe(404);
    expect(r.text).toBe('nothing here');
    expect(r.headers['content-type']).toBe('text/plain');
  });

  it('setQuery, dropQuery and queryToHeader rewrite the query and read it into a header', async () => {
    const r = await json<Received>(`${proxy.url}/query?tenant=blue&debug=1&z=2`);
    expect(r.body.url).toBe('/query?page=1&tenant=blue&z=2');
    expect(r.body.headers['x-tenant']).toBe('blue');
  });

  it('stripQuery drops the query', async () => {
    expect((await json<Received>(`${proxy.url}/strip?a=1&b=2`)).body.url).toBe('/strip');
  });

  it('modRequestHeader, copyRequestHeader and dropRequestHeaderRegexp change the request headers', async () => {
    const r = await json<Received>(`${proxy.url}/headers`, { headers: { 'X-Version': 'v12', 'X-Request-Id': 'r-1', 'X-Flags': 'debug-on' } });
    expect(r.body.headers['x-version']).toBe('version-12');
    expect(r.body.headers['x-trace']).toBe('r-1');
    expect(r.body.headers['x-flags']).toBeUndefined();
  });
});
