import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { IncomingMessage } from 'node:http';
import { encodePendingLine, maxLineBytes } from '../../src/accesslog/line-encoder.js';
import { PendingLines } from '../../src/accesslog/pending-lines.js';
import { formatAccessLine } from '../../src/accesslog/line.js';
import type { ExchangeRecord } from '../../src/proxy/observer.js';
import { IncomingRequestView } from '../../src/proxy/request-view.js';

interface Fields {
  method: string;
  host: string;
  path: string;
  clientIp: string | null;
  routeId: string;
  authority: string | null;
  status: number;
  bytes: number;
  durationNs: bigint;
  failure: string;
  flowId: string;
  traceId: string;
  nowMs: number;
}

function recordOf(f: Fields): ExchangeRecord {
  const view = new IncomingRequestView({
    method: f.method,
    host: f.host,
    rawPath: f.path,
    rawQuery: '',
    headers: {},
    remoteAddress: '127.0.0.1',
    clientIp: f.clientIp,
  });
  return {
    req: { headers: {} } as IncomingMessage,
    view,
    routeId: f.routeId,
    status: f.status,
    startNs: 5_000_000_000n,
    endNs: 5_000_000_000n + f.durationNs,
    upstreamStartNs: 0n,
    upstreamEndNs: 0n,
    endpoint: f.authority === null ? null : { origin: `http://${f.authority}`, authority: f.authority },
    bytes: f.bytes,
    failure: f.failure,
    filterState: undefined,
    observerData: undefined,
  };
}

function encode(f: Fields): { text: string; max: number } {
  const r = recordOf(f);
  const lines = new PendingLines(1);
  const max = maxLineBytes(r, f.flowId, f.traceId);
  lines.push(r, f.nowMs, f.flowId, f.traceId, max);
  expect(lines.maxBytes[0]).toBe(max);
  const buf = Buffer.alloc(max + 16, 0xff);
  const end = encodePendingLine(buf, 8, lines, 0);
  expect(end - 8).toBeLessThanOrEqual(max);
  // Nothing written outside [8, end).
  expect(buf[7]).toBe(0xff);
  expect(buf[end]).toBe(0xff);
  return { text: buf.toString('latin1', 8, end), max };
}

const anyText = fc.string({ unit: 'binary', maxLength: 40 });
const fields: fc.Arbitrary<Fields> = fc.record({
  method: fc.oneof(fc.constantFrom('GET', 'POST', 'PROPFIND'), anyText),
  host: anyText,
  path: anyText,
  clientIp: fc.option(anyText, { nil: null }),
  routeId: anyText,
  authority: fc.option(anyText, { nil: null }),
  status: fc.integer({ min: 0, max: 999 }),
  bytes: fc.maxSafeNat(),
  durationNs: fc.bigInt({ min: 0n, max: 10n ** 13n }),
  failure: fc.constantFrom('', 'dial', 'no_route', 'client_gone'),
  flowId: anyText,
  traceId: fc.oneof(fc.constant(''), fc.stringMatching(/^[0-9a-f]{32}$/)),
  nowMs: fc.integer({ min: 1_000_000_000_000, max: 4_000_000_000_000 }),
});

describe('encodePendingLine', () => {
  it('writes exactly the bytes formatAccessLine spells, for any input', () => {
    fc.assert(
      fc.property(fields, (f) => {
        const { text } = encode(f);
        expect(text).toBe(formatAccessLine(recordOf(f), f.nowMs, f.flowId, f.traceId));
        // Valid JSON, ASCII only, one line.
        expect(text).toMatch(/^[\x20-\x7e]*\n$/);
        const parsed = JSON.parse(text) as Record<string, unknown>;
        expect(parsed.host).toBe(f.host);
        expect(parsed.path).toBe(f.path);
        expect(parsed.flow_id).toBe(f.flowId);
        expect(parsed.bytes).toBe(f.bytes);
      }),
      { numRuns: 500 },
    );
  });

  it('writes lines back to back as formatAccessLine spells each, the second prefix changing or not', () => {
    const sameSecond = fc.integer({ min: 1_714_557_600_000, max: 1_714_557_600_999 });
    const sequence = fc.array(
      fc.tuple(fields, fc.boolean(), sameSecond).map(([f, keep, now]) => (keep ? { ...f, nowMs: now, durationNs: 0n } : f)),
      { minLength: 1, maxLength: 12 },
    );
    fc.assert(
      fc.property(sequence, (lines) => {
        const records = lines.map(recordOf);
        const pending = new PendingLines(lines.length);
        lines.forEach((f, i) => pending.push(records[i]!, f.nowMs, f.flowId, f.traceId, maxLineBytes(records[i]!, f.flowId, f.traceId)));
        const max = lines.reduce((n, _f, i) => n + pending.maxBytes[i]!, 0);
        const buf = Buffer.alloc(max);
        let at = 0;
        for (let i = 0; i < lines.length; i++) at = encodePendingLine(buf, at, pending, i);
        const expected = lines.map((f, i) => formatAccessLine(records[i]!, f.nowMs, f.flowId, f.traceId)).join('');
        expect(buf.toString('latin1', 0, at)).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('writes the usual line', () => {
    const f: Fields = {
      method: 'GET',
      host: 'shop.example.org',
      path: '/cart',
      clientIp: '10.0.0.1',
      routeId: 'kube_default__shop__shop_example_org____shop',
      authority: '10.2.0.7:8080',
      status: 200,
      bytes: 1234,
      durationNs: 2_345_678n,
      failure: '',
      flowId: 'abc',
      traceId: '',
      nowMs: Date.parse('2024-05-01T10:00:00.010Z'),
    };
    expect(encode(f).text).toBe(
      '{"time":"2024-05-01T10:00:00.008Z","client_ip":"10.0.0.1","method":"GET","host":"shop.example.org","path":"/cart",' +
        '"status":200,"bytes":1234,"duration_ms":2.346,"route":"kube_default__shop__shop_example_org____shop",' +
        '"endpoint":"10.2.0.7:8080","flow_id":"abc","trace_id":"","failure":""}\n',
    );
  });
});
