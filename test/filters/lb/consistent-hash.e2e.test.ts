/**
 * consistentHashKey and consistentHashBalanceFactor through skiff to two real backends on
 * 127.0.0.1. Every request comes from 127.0.0.1, so without a key all of them would hash alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { startSkiff, type RunningSkiff } from '../../helpers/skiff.js';
import { startServer, type TestServer } from '../../helpers/upstream.js';
import { request, type Reply } from '../../helpers/http.js';

interface Held {
  server: TestServer;
  held: ServerResponse[];
}

async function backend(name: string): Promise<Held> {
  const held: ServerResponse[] = [];
  const server = await startServer((req, res) => {
    if (req.url?.includes('hold=1')) held.push(res);
    else res.end(name);
  });
  return { server, held };
}

function release(b: Held, name: string): void {
  for (const res of b.held.splice(0)) res.end(name);
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

describe('consistentHash filters end to end', () => {
  let a: Held;
  let b: Held;
  let skiff: RunningSkiff;

  beforeAll(async () => {
    a = await backend('a');
    b = await backend('b');
    const lb = `<consistentHash, "${a.server.url}", "${b.server.url}">`;
    skiff = await startSkiff(
      [
        `keyed: Path("/keyed") -> consistentHashKey("\${request.header.x-user}") -> ${lb};`,
        `fixed: Path("/fixed") -> consistentHashKey("one key") -> ${lb};`,
        `bounded: Path("/bounded") -> consistentHashKey("one key") -> consistentHashBalanceFactor(1) -> ${lb};`,
      ].join('\n'),
    );
  });

  afterAll(async () => {
    release(a, 'a');
    release(b, 'b');
    await skiff?.stop();
    await a?.server.close();
    await b?.server.close();
  });

  it('spreads users by the key and keeps each user on one backend', async () => {
    const seen = new Map<string, string>();
    for (let i = 0; i < 40; i++) {
      const user = createHash('sha1').update(`user ${i}`).digest('hex');
      const first = await request(`${skiff.url}/keyed`, { headers: { 'x-user': user } });
      const again = await request(`${skiff.url}/keyed`, { headers: { 'x-user': user } });
      expect(first.status).toBe(200);
      expect(again.text).toBe(first.text);
      seen.set(user, first.text);
    }
    expect(new Set(seen.values())).toEqual(new Set(['a', 'b']));
  });

  async function holdThree(path: string): Promise<{ a: number; b: number; replies: Promise<Reply>[] }> {
    const replies: Promise<Reply>[] = [];
    for (let i = 1; i <= 3; i++) {
      replies.push(request(`${skiff.url}${path}?hold=1`));
      // one at a time: each is balanced while the earlier ones are in flight
      await until(() => a.held.length + b.held.length === i);
    }
    return { a: a.held.length, b: b.held.length, replies };
  }

  it('without a balance factor, a key stays on its backend however loaded', async () => {
    const { a: onA, b: onB, replies } = await holdThree('/fixed');
    release(a, 'a');
    release(b, 'b');
    await Promise.all(replies);
    expect([onA, onB].sort()).toEqual([0, 3]);
  });

  it('with consistentHashBalanceFactor(1), a backend above the average load is passed over', async () => {
    const { a: onA, b: onB, replies } = await holdThree('/bounded');
    release(a, 'a');
    release(b, 'b');
    for (const r of await Promise.all(replies)) expect(r.status).toBe(200);
    // 1st: loads 0/0, 2nd: 1/0 (at the average of (1+1)/2), 3rd: 2/0 is above (1+2)/2
    expect([onA, onB].sort()).toEqual([1, 2]);
  });
});
