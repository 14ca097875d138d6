/**
 * inlineContentIfStatus through skiff to a real backend on 127.0.0.1: the backend's body is
 * replaced for the status given and streams through untouched for others, and the connection to
 * the backend stays usable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSkiff, type RunningSkiff } from '../../helpers/skiff.js';
import { startServer, type TestServer } from '../../helpers/upstream.js';
import { request } from '../../helpers/http.js';
import { inlineContentIfStatus } from '../../../filters/status/inline-content-if-status.js';

describe('inlineContentIfStatus end to end', () => {
  let backend: TestServer;
  let skiff: RunningSkiff;
  const ports = new Set<number>();

  beforeAll(async () => {
    backend = await startServer((req, res) => {
      ports.add(req.socket.remotePort ?? 0);
      const status = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('status') ?? '200');
      const body = `backend says ${status} `.repeat(status === 404 ? 5000 : 1);
      res.writeHead(status, { 'content-type': 'text/html', 'x-backend': 'yes', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
    skiff = await startSkiff(
      `r: * -> inlineContentIfStatus(404, "{\\"error\\":\\"nope\\"}", "application/json") -> "${backend.url}";`,
      { filters: [inlineContentIfStatus] },
    );
  });

  afterAll(async () => {
    await skiff?.stop();
    await backend?.close();
  });

  it("replaces the body of the backend's 404 and keeps its other headers", async () => {
    const r = await request(`${skiff.url}/x?status=404`);
    expect(r.status).toBe(404);
    expect(r.text).toBe('{"error":"nope"}');
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['content-length']).toBe('16');
    expect(r.headers['x-backend']).toBe('yes');
  });

  it('passes other statuses through with their own body', async () => {
    const r = await request(`${skiff.url}/x?status=200`);
    expect(r.status).toBe(200);
    expect(r.text).toBe('backend says 200 ');
    expect(r.headers['content-type']).toBe('text/html');
  });

  it('answers HEAD with the new length and no body', async () => {
    const r = await request(`${skiff.url}/x?status=404`, { method: 'HEAD' });
    expect(r.status).toBe(404);
    expect(r.headers['content-length']).toBe('16');
    expect(r.body.length).toBe(0);
  });

  it('keeps serving after many replaced bodies, reusing backend connections', async () => {
    ports.clear();
    for (let i = 0; i < 20; i++) {
      const r = await request(`${skiff.url}/x?status=404`);
      expect(r.text).toBe('{"error":"nope"}');
    }
    const ok = await request(`${skiff.url}/x?status=200`);
    expect(ok.text).toBe('backend says 200 ');
    // The dropped bodies were read to their end, so pooled connections were reused.
    expect(ports.size).toBeLessThan(5);
  });
});
