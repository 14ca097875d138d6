/** The per-origin in-flight counters powerOfRandomNChoices compares, on their own and fed by real requests. */
import { describe, expect, it } from 'vitest';
import { inFlight } from '../../src/backend/in-flight.js';
import { startServer, type TestServer } from '../helpers/upstream.js';
import { startSkiff } from '../helpers/skiff.js';
import { stoppedAfterEach } from '../helpers/per-test.js';

describe('inFlight', () => {
  it('gives one cell per origin, whatever the endpoint object', () => {
    const a = inFlight.cellOf({ origin: 'http://10.9.0.1:80', authority: '10.9.0.1:80' });
    const b = inFlight.cellOf({ origin: 'http://10.9.0.1:80', authority: 'other' });
    expect(a).toBe(b);
    a.n += 2;
    expect(inFlight.count({ origin: 'http://10.9.0.1:80', authority: '' })).toBe(2);
    a.n -= 2;
  });

  it('drops idle cells of forgotten origins but keeps the ones in use', () => {
    const busy = inFlight.cellOf({ origin: 'http://10.9.1.1:80', authority: '' });
    busy.n = 1;
    for (let i = 0; i < 3000; i++) inFlight.cellOf({ origin: `http://10.9.2.${i}:80`, authority: '' });
    expect(inFlight.size).toBeLessThan(2100);
    expect(inFlight.cellOf({ origin: 'http://10.9.1.1:80', authority: '' })).toBe(busy);
    expect(inFlight.count({ origin: 'http://10.9.1.1:80', authority: '' })).toBe(1);
    busy.n = 0;
  });
});

describe('inFlight through the proxy', () => {
  const t = stoppedAfterEach();

  it('counts a request while its backend works and gives it back after the answer or a failure', async () => {
    // The count goes up when skiff dispatches, before the backend has the request: waiting for
    // the count alone raced the handler under load, and release() then ended nothing.
    let release: () => void = () => {};
    let arrived!: () => void;
    const reached = new Promise<void>((r) => (arrived = r));
    const backend = (t.backend = await startServer((req, res) => {
      if (req.url === '/fail') {
        req.socket.destroy();
        return;
      }
      release = () => res.end('ok');
      arrived();
    }));
    const proxy = (t.proxy = await startSkiff(`r: * -> "${backend.url}";`));
    const endpoint = { origin: backend.url, authority: '' };
    const pending = fetch(`${proxy.url}/slow`);
    await reached;
    expect(inFlight.count(endpoint)).toBe(1);
    release();
    const answer = await pending;
    expect(answer.status).toBe(200);
    // the body's end comes after skiff gave the count back (upstreamDone, then res.end)
    expect(await answer.text()).toBe('ok');
    expect(inFlight.count(endpoint)).toBe(0);
    expect((await fetch(`${proxy.url}/fail`)).status).toBeGreaterThanOrEqual(500);
    expect(inFlight.count(endpoint)).toBe(0);
  });
});
