/**
 * Random answers from a raw backend: well-formed responses of many shapes (length-delimited,
 * chunked, empty, hop-by-hop and Connection-named fields, repeated fields), most with a hostile
 * edit or two (control bytes, a second response glued on, a cut). Whatever the backend writes,
 * the client gets one response Node's own parser accepts, or a cut connection; never a parse
 * error, never a hop-by-hop field or one the backend's Connection header named, never a value
 * with CR or LF; and skiff keeps serving. Bounded: a fixed seed and a fixed number of requests.
 */
import http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSkiff, type RunningSkiff } from '../helpers/skiff.js';
import { startRawBackend } from './raw.js';
import { applyEdits, editsOf } from './edits.js';

const nasty = fc.constantFrom(
  '\r', '\n', '\r\n', '\0', '\t', ' ', ':', '\x7f', '\x80', '\xff', 'X-Injected: 1\r\n', '\r\nTransfer-Encoding: chunked',
  '\r\nContent-Length: 2', '\r\n\r\n', 'HTTP/1.1 299 Glued\r\nContent-Length: 0\r\n\r\n', '\r\n X-Folded: y',
);
const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^`|~-]{1,12}$/);
const printable = fc.stringMatching(/^[!-~]([ -~]{0,18}[!-~])?$/);

/** A response Node's client would accept as it is. */
const wellFormed = fc
  .record({
    status: fc.constantFrom(200, 200, 201, 204, 301, 304, 404, 500, 503),
    headers: fc.array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom('Content-Type', 'Set-Cookie', 'Cache-Control', 'Keep-Alive', 'Proxy-Authenticate', 'Upgrade', 'TE', 'Trailer', 'X-Named', 'Server', 'Location'),
          token,
        ),
        fc.oneof(fc.constantFrom('text/plain', 'a=1; Path=/', 'timeout=5', 'h2c', 'trailers', 'no-store'), printable),
      ),
      { maxLength: 5 },
    ),
    connection: fc.constantFrom(null, 'close', 'keep-alive', 'X-Named, close', 'x-named'),
    body: fc.oneof(fc.constant(''), printable, fc.integer({ min: 1, max: 40 }).map((n) => 'b'.repeat(n * 1000))),
    chunked: fc.boolean(),
  })
  .map(({ status, headers, connection, body, chunked }) => {
    const lines = [`HTTP/1.1 ${status} Reason`, ...headers.map(([n, v]) => `${n}: ${v}`)];
    if (connection !== null) lines.push(`Connection: ${connection}`);
    const bodiless = status === 204 || status === 304;
    let payload = '';
    if (!bodiless && chunked) {
      lines.push('Transfer-Encoding: chunked');
      payload = body === '' ? '0\r\n\r\n' : `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
    } else if (!bodiless) {
      lines.push(`Content-Length: ${body.length}`);
      payload = body;
    }
    return `${lines.join('\r\n')}\r\n\r\n${payload}`;
  });

const answer = fc.tuple(wellFormed, editsOf(nasty, ['insert', 'replace', 'cut', 'append'])).map(([text, edits]) => applyEdits(text, edits));

const answers = fc.sample(answer, { numRuns: 240, seed: 2026 });

let proxy: RunningSkiff;
let backend: Awaited<ReturnType<typeof startRawBackend>>;

beforeAll(async () => {
  // Each connection answers its first request with the answer its path names, then closes.
  backend = await startRawBackend((socket, first) => {
    const n = Number(/^GET \/r\/(\d+) /.exec(first)?.[1] ?? -1);
    socket.end(Buffer.from(answers[n] ?? 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', 'latin1'));
  });
  proxy = await startSkiff(`all: * -> "${backend.url}";`, { proxy: { headersTimeoutMs: 1000, bodyIdleTimeoutMs: 1000 } });
});

afterAll(async () => {
  await proxy.stop();
  await backend.close();
});

interface Outcome {
  status?: number;
  headers?: http.IncomingHttpHeaders;
  error?: string;
}

function fetchThrough(n: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port: proxy.port, path: `/r/${n}`, agent: false, headers: { connection: 'close' } }, (res) => {
      const outcome: Outcome = { status: res.statusCode!, headers: res.headers };
      res.on('data', () => undefined);
      res.on('end', () => resolve(outcome));
      res.on('error', (err: NodeJS.ErrnoException) => resolve({ ...outcome, error: err.code ?? err.message }));
      res.on('aborted', () => resolve({ ...outcome, error: 'aborted' }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    req.setTimeout(5000, () => req.destroy(new Error('client timeout')));
  });
}

const hopByHop = ['keep-alive', 'proxy-authenticate', 'upgrade', 'te', 'trailer', 'proxy-connection'];

/** Whether the answer's Connection header names X-Named (then X-Named must not be relayed). */
const namesXNamed = (answerText: string): boolean => /\r\nConnection:[^\r\n]*x-named/i.test(answerText.split('\r\n\r\n')[0]!);

describe('random backend answers', () => {
  it('reach the client as one clean response or a cut connection, and skiff keeps serving', async () => {
    const outcomes: Outcome[] = [];
    for (let from = 0; from < answers.length; from += 20) {
      const batch = answers.slice(from, from + 20).map((_, i) => fetchThrough(from + i));
      outcomes.push(...(await Promise.all(batch)));
    }
    const problems: unknown[] = [];
    outcomes.forEach((o, n) => {
      const bad: string[] = [];
      if (o.error !== undefined && (o.error.startsWith('HPE_') || o.error === 'client timeout')) bad.push(`client: ${o.error}`);
      for (const [name, value] of Object.entries(o.headers ?? {})) {
        if (hopByHop.includes(name)) bad.push(`hop-by-hop ${name}`);
        if (name === 'x-named' && namesXNamed(answers[n]!)) bad.push('x-named, which Connection named');
        if (name === 'connection' && value !== 'close') bad.push(`connection: ${String(value)}`);
        if (name === 'transfer-encoding' && value !== 'chunked') bad.push(`transfer-encoding: ${String(value)}`);
        for (const v of Array.isArray(value) ? value : [value ?? '']) if (/[\r\n\0]/.test(v)) bad.push(`${name} holds a control byte`);
      }
      if (o.status === 299 && !answers[n]!.replace(/^[\r\n]+/, '').startsWith('HTTP/1.1 299')) bad.push('the glued second response was delivered');
      if (bad.length > 0) problems.push({ n, answer: answers[n]!.slice(0, 200), outcome: o, bad });
    });
    expect(problems).toEqual([]);
    // the mix is wide: answers relayed as they were, and answers replaced by 502
    const statuses = new Set(outcomes.map((o) => o.status));
    expect(statuses).toContain(200);
    expect(statuses).toContain(502);
    const after = await fetchThrough(10_000);
    expect(after).toMatchObject({ status: 200 });
  }, 60_000);
});
