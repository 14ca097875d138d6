/**
 * Random request bytes against a live skiff: request lines, header lines and bodies put together
 * from pieces that hostile clients use (control bytes, bare LF, duplicate and conflicting framing,
 * absolute and odd targets, pipelined second requests), most of them well-formed requests with a
 * hostile edit or two. Whatever arrives, skiff answers with a status line or closes the
 * connection; it never answers 5xx (the backend always says 200, so a 5xx would mean skiff passed
 * on something its own upstream client or the backend refused); every request the backend
 * executes is answered to the client; and skiff still serves a normal request afterwards.
 * Bounded: 300 exchanges with a fixed seed, 20 at a time.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rawExchange, recordingProxyForFile, type RawResult } from './raw.js';
import { applyEdits, editsOf } from './edits.js';

const t = recordingProxyForFile();

const nasty = fc.constantFrom(
  '\r', '\n', '\r\n', '\0', '\t', ' ', ',', ';', ':', '\x0b', '\x7f', '\x80', '\xff', '%00', '%0d%0a', '..', '#', '?', '@', '[', '_', '"',
  '\r\nTransfer-Encoding: chunked', '\r\nContent-Length: 5', '\r\nHost: b.example', '\r\n X-Folded: y', '\r\n\r\nGET /second HTTP/1.1\r\n',
);
const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^`|~-]{1,12}$/);
const printable = fc.stringMatching(/^[!-~]([ -~]{0,18}[!-~])?$/);

/** A request Node and skiff accept: plausible names and values, body framed one way. */
const wellFormed = fc
  .record({
    method: fc.constantFrom('GET', 'GET', 'POST', 'PUT', 'HEAD', 'OPTIONS', 'DELETE', 'PATCH'),
    target: fc.oneof(fc.constantFrom('/', '/a?b=c', '/x/y/z', 'http://a.example/abs'), fc.stringMatching(/^\/[A-Za-z0-9._~%!$&'()*+,;=:@/?-]{0,30}$/)),
    version: fc.constantFrom('HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0'),
    host: fc.constantFrom('a.example', 'a.example:8080', 'A.Example.', '[::1]:80', '127.0.0.1'),
    headers: fc.array(
      fc.tuple(
        fc.oneof(fc.constantFrom('X-Forwarded-For', 'X-Forwarded-Proto', 'X-Forwarded-Host', 'Forwarded', 'Via', 'Connection', 'Upgrade', 'Keep-Alive', 'TE', 'Proxy-Connection', 'Cookie', 'Authorization', 'Traceparent', 'X-Flow-Id', 'Accept'), token),
        fc.oneof(fc.constantFrom('close', 'keep-alive, X-Forwarded-For', 'Upgrade', 'websocket', 'h2c', 'trailers', '10.0.0.1, 192.0.2.7', 'unknown', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'), printable),
      ),
      { maxLength: 5 },
    ),
    body: fc.oneof(fc.constant(null), printable),
    chunked: fc.boolean(),
  })
  .map(({ method, target, version, host, headers, body, chunked }) => {
    const lines = [`${method} ${target} ${version}`, `Host: ${host}`, ...headers.map(([n, v]) => `${n}: ${v}`)];
    let payload = '';
    if (body !== null && chunked && version === 'HTTP/1.1') {
      lines.push('Transfer-Encoding: chunked');
      payload = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
    } else if (body !== null) {
      lines.push(`Content-Length: ${body.length}`);
      payload = body;
    }
    return `${lines.join('\r\n')}\r\n\r\n${payload}`;
  });

const request = fc.tuple(wellFormed, editsOf(nasty, ['insert', 'replace', 'cut'])).map(([text, edits]) => Buffer.from(applyEdits(text, edits), 'latin1'));

/** One or two requests on a connection (the second one pipelined behind the first). */
const exchange = fc.tuple(request, fc.option(request, { freq: 4 })).map(([a, b]) => (b === null ? a : Buffer.concat([a, b])));

describe('random request bytes', () => {
  it('are answered with a status line or a closed connection, never 5xx, and skiff keeps serving', async () => {
    const batches = fc.sample(fc.array(exchange, { minLength: 20, maxLength: 20 }), { numRuns: 15, seed: 2026 });
    const statuses: Record<number, number> = {};
    const odd: { sent: string; got: RawResult }[] = [];
    for (const batch of batches) {
      const results = await Promise.all(batch.map((bytes) => rawExchange(t.proxy.port, bytes, { waitMs: 300 })));
      results.forEach((got, i) => {
        for (const s of got.statuses) statuses[s] = (statuses[s] ?? 0) + 1;
        const replied = got.text.length > 0;
        if ((replied && !got.text.startsWith('HTTP/1.1 ')) || got.statuses.some((s) => s >= 500)) {
          odd.push({ sent: batch[i]!.toString('latin1').slice(0, 300), got });
        }
      });
    }
    // Every request the backend got whole was answered to its client: none was sent after an
    // answer that closed the connection, none behind a refusal. (A little slack for an answer
    // slower than the wait on a loaded machine.)
    const executed = t.backend.requests.filter((r) => r.complete).length;
    const answered = statuses[200] ?? 0;
    expect(answered).toBeGreaterThan(50);
    expect(statuses[400] ?? 0).toBeGreaterThan(50);
    expect(executed).toBeGreaterThanOrEqual(answered);
    expect(executed).toBeLessThanOrEqual(answered + Math.ceil(answered * 0.02));
    expect(odd.map((o) => ({ sent: o.sent, statuses: o.got.statuses, head: o.got.text.slice(0, 80) }))).toEqual([]);
    const after = await fetch(`${t.proxy.url}/still-here`);
    expect(after.status).toBe(200);
    expect(await after.text()).toBe('ok');
  }, 60_000);
});
