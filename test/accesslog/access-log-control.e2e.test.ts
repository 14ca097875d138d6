/**
 * disableAccessLog and enableAccessLog with real traffic through skiff to a backend on
 * 127.0.0.1: which requests get an access log line, by route and status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { startSkiff, type RunningSkiff } from '../helpers/skiff.js';
import { startServer, type TestServer } from '../helpers/upstream.js';
import { request } from '../helpers/http.js';
import { createObservability, type Observability } from '../../src/observability.js';
import type { AccessLogEntry } from '../../src/accesslog/line.js';

describe('access log control end to end', () => {
  let backend: TestServer;
  let skiff: RunningSkiff;
  let obs: Observability;
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  const lines = (): AccessLogEntry[] =>
    text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as AccessLogEntry);

  beforeAll(async () => {
    // answers with the status asked for in ?s=
    backend = await startServer((req, res) => {
      const s = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('s') ?? '200');
      res.writeHead(s);
      res.end(s === 204 ? undefined : 'ok');
    });
    obs = createObservability({ metrics: false, accessLog: { enabled: true, destination: out, flushIntervalMs: 0 } });
    skiff = await startSkiff(
      [
        `plain: Path("/plain") -> "${backend.url}";`,
        `muted: Path("/muted") -> disableAccessLog() -> "${backend.url}";`,
        `errors: Path("/errors") -> enableAccessLog(4, 5) -> "${backend.url}";`,
        `not404: Path("/not404") -> disableAccessLog(404) -> "${backend.url}";`,
        `decade: Path("/decade") -> enableAccessLog(20) -> "${backend.url}";`,
        `last: Path("/last") -> disableAccessLog() -> enableAccessLog() -> "${backend.url}";`,
        `served: Path("/served") -> disableAccessLog(2) -> inlineContent("x") -> <shunt>;`,
        // (nothing listens on port 1 of the loopback: skiff answers 502 itself)
        `down: Path("/down") -> enableAccessLog(502) -> "http://127.0.0.1:1";`,
      ].join('\n'),
      { observer: obs.observer },
    );
  });

  afterAll(async () => {
    await skiff?.stop();
    await backend?.close();
    await obs?.shutdown();
  });

  it('writes the lines the routes allow, and only those', async () => {
    const sent: [string, number][] = [
      ['/plain?s=200', 200],
      ['/muted?s=200', 200],
      ['/muted?s=500', 500],
      ['/errors?s=200', 200],
      ['/errors?s=404', 404],
      ['/errors?s=503', 503],
      ['/not404?s=404', 404],
      ['/not404?s=201', 201],
      ['/decade?s=204', 204],
      ['/decade?s=210', 210],
      ['/last?s=200', 200],
      ['/served', 200],
      ['/down', 502],
    ];
    for (const [path, status] of sent) {
      const r = await request(skiff.url + path);
      expect(r.status, path).toBe(status);
    }
    // a last logged request: once its line is there, every earlier line is too
    await request(`${skiff.url}/plain?s=299`);
    for (let i = 0; i < 200 && !lines().some((l) => l.status === 299); i++) await new Promise((r) => setTimeout(r, 10));
    expect(lines().map((l) => [l.path, l.status])).toEqual([
      ['/plain', 200],
      ['/errors', 404],
      ['/errors', 503],
      ['/not404', 201],
      ['/decade', 204],
      ['/last', 200],
      ['/down', 502],
      ['/plain', 299],
    ]);
  });
});
