/**
 * `<dynamic>` routes through skiff to real backends on 127.0.0.1, their target set by the
 * setDynamicBackend* filters; a target that is missing or unusable gives 502.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSkiff, type RunningSkiff } from '../../helpers/skiff.js';
import { startEcho, type Received, type TestServer } from '../../helpers/upstream.js';
import { request } from '../../helpers/http.js';

interface EchoReply extends Received {
  backend: string;
}

describe('dynamic backends end to end', () => {
  let one: TestServer;
  let two: TestServer;
  let skiff: RunningSkiff;

  beforeAll(async () => {
    one = await startEcho('one');
    two = await startEcho('two');
    skiff = await startSkiff(
      [
        `url: Path("/url") -> setDynamicBackendUrlFromHeader("X-Target") -> <dynamic>;`,
        `host: Path("/host") -> setDynamicBackendHostFromHeader("X-Target-Host") -> <dynamic>;`,
        `scheme: Path("/scheme") -> setDynamicBackendSchemeFromHeader("X-Target-Scheme") -> setDynamicBackendHost("127.0.0.1:${two.port}") -> <dynamic>;`,
        `fixed: Path("/fixed") -> setDynamicBackendUrl("http://127.0.0.1:${one.port}/ignored?x=1") -> <dynamic>;`,
        `fixedhost: Path("/fixedhost") -> setDynamicBackendScheme("http") -> setDynamicBackendHost("127.0.0.1:${two.port}") -> <dynamic>;`,
        `none: Path("/none") -> <dynamic>;`,
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await skiff?.stop();
    await one?.close();
    await two?.close();
  });

  it('sends each request where its header says, with that Host', async () => {
    for (const target of [one, two, one]) {
      const r = await request(`${skiff.url}/url?q=1`, { headers: { host: 'front.example', 'x-target': `${target.url}/not-used` } });
      expect(r.status).toBe(200);
      const echoed = JSON.parse(r.text) as EchoReply;
      expect(echoed.backend).toBe(target === one ? 'one' : 'two');
      expect(echoed.url).toBe('/url?q=1');
      expect(echoed.headers.host).toBe(`127.0.0.1:${target.port}`);
    }
  });

  it('takes the host from a header, plain http', async () => {
    const r = await request(`${skiff.url}/host`, { headers: { 'x-target-host': `127.0.0.1:${two.port}` } });
    expect(r.status).toBe(200);
    expect((JSON.parse(r.text) as EchoReply).backend).toBe('two');
  });

  it('a fixed URL: only its scheme and host are used', async () => {
    const r = await request(`${skiff.url}/fixed`);
    expect(r.status).toBe(200);
    const echoed = JSON.parse(r.text) as EchoReply;
    expect(echoed.backend).toBe('one');
    expect(echoed.url).toBe('/fixed');
  });

  it('a fixed scheme and host', async () => {
    const r = await request(`${skiff.url}/fixedhost`);
    expect(r.status).toBe(200);
    expect((JSON.parse(r.text) as EchoReply).backend).toBe('two');
  });

  it('a scheme from a header: http reaches the backend, another scheme gives 502', async () => {
    const ok = await request(`${skiff.url}/scheme`, { headers: { 'x-target-scheme': 'http' } });
    expect(ok.status).toBe(200);
    const absent = await request(`${skiff.url}/scheme`);
    expect(absent.status).toBe(200);
    const bad = await request(`${skiff.url}/scheme`, { headers: { 'x-target-scheme': 'ftp' } });
    expect(bad.status).toBe(502);
  });

  it.each([
    ['no header', {}],
    ['another scheme', { 'x-target': 'ftp://127.0.0.1:21' }],
    ['not a URL', { 'x-target': '127.0.0.1' }],
    ['no host', { 'x-target': 'http:///x' }],
  ])('answers 502 for %s', async (_what, headers: Record<string, string>) => {
    const before = one.received.length + two.received.length;
    const r = await request(`${skiff.url}/url`, { headers });
    expect(r.status).toBe(502);
    expect(one.received.length + two.received.length).toBe(before);
  });

  it('answers 502 for a malformed host from a header', async () => {
    const r = await request(`${skiff.url}/host`, { headers: { 'x-target-host': `127.0.0.1:${one.port}/x` } });
    expect(r.status).toBe(502);
  });

  it('answers 502 on a dynamic route without any of the filters', async () => {
    const r = await request(`${skiff.url}/none`);
    expect(r.status).toBe(502);
  });
});
