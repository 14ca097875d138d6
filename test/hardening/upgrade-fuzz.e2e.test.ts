/**
 * Random answers to a WebSocket upgrade from a raw backend: 101s with and without the right
 * fields, refusals, bodies and data glued after the head, most with a hostile edit (control
 * bytes, a second response, a cut), the connection kept open or closed. The client always gets a
 * status line or a closed connection, nothing else; no error escapes; skiff keeps serving.
 * Bounded: 60 answers with a fixed seed, 20 at a time, backend timeouts of 1 s.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { startSkiff } from '../helpers/skiff.js';
import { rawExchange, startRawBackend } from './raw.js';
import { applyEdits, editsOf } from './edits.js';

const nasty = fc.constantFrom(
  '\r', '\n', '\r\n', '\0', ' ', ':', '\x7f', '\xff', '\r\n\r\n',
  'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n', 'Transfer-Encoding: chunked\r\n', 'Content-Length: 5\r\n',
);
const head = fc
  .record({
    status: fc.constantFrom(101, 101, 101, 200, 400, 426, 500, 100),
    headers: fc.array(
      fc.constantFrom('Upgrade: websocket', 'Connection: Upgrade', 'Connection: close', 'Sec-WebSocket-Accept: x', 'Content-Length: 3', 'Transfer-Encoding: chunked', 'Keep-Alive: t=1', 'X-A: b'),
      { maxLength: 5 },
    ),
    after: fc.constantFrom('', '', 'abc', '0\r\n\r\n', '3\r\nabc\r\n0\r\n\r\n', 'data after the head'),
  })
  .map(({ status, headers, after }) => `HTTP/1.1 ${status} X\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n${after}`);

const answer = fc
  .tuple(head, editsOf(nasty, ['insert', 'replace', 'cut']), fc.boolean())
  .map(([text, edits, close]) => ({ out: applyEdits(text, edits), close }));

const upgradeRequest = (n: number): string =>
  `GET /ws/${n} HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\nping';

it('random answers to an upgrade reach the client as a status line or a closed connection', async () => {
  const answers = fc.sample(answer, { numRuns: 60, seed: 1 });
  // Each connection answers with the answer its path names; an open one then echoes.
  const backend = await startRawBackend((socket, first) => {
    const n = Number(/^GET \/ws\/(\d+) /.exec(first)?.[1] ?? -1);
    const a = answers[n] ?? { out: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', close: true };
    socket.write(Buffer.from(a.out, 'latin1'));
    if (a.close) socket.end();
    else socket.on('data', (d) => socket.write(d));
  });
  const proxy = await startSkiff(`all: * -> "${backend.url}";`, { proxy: { headersTimeoutMs: 1000, bodyIdleTimeoutMs: 1000 } });
  const escaped: unknown[] = [];
  const onEscaped = (reason: unknown): void => void escaped.push(reason);
  process.on('unhandledRejection', onEscaped);
  process.on('uncaughtException', onEscaped);
  const bad: unknown[] = [];
  try {
    for (let from = 0; from < answers.length; from += 20) {
      const batch = answers.slice(from, from + 20).map((_, i) => rawExchange(proxy.port, upgradeRequest(from + i), { waitMs: 2500 }));
      (await Promise.all(batch)).forEach((got, i) => {
        if (got.text.length > 0 && !got.text.startsWith('HTTP/1.1 ')) bad.push({ answer: answers[from + i]!.out.slice(0, 200), got: got.text.slice(0, 200) });
      });
    }
  } finally {
    process.off('unhandledRejection', onEscaped);
    process.off('uncaughtException', onEscaped);
  }
  expect(bad).toEqual([]);
  expect(escaped).toEqual([]);
  expect((await fetch(`${proxy.url}/ok`)).status).toBe(200);
  await proxy.stop();
  await backend.close();
}, 60_000);
