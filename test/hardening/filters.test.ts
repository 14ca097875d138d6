/**
 * The hardening filters on their own: byte sizes, maxBodySize arguments and its Content-Length
 * check, the consecutive-failure circuit (with a hand-driven clock), consecutiveBreaker
 * arguments and its open reply, and the idle sweep of circuits.
 */
import { describe, expect, it } from 'vitest';
import { parseByteSize } from '../../filters/limits/byte-size.js';
import { maxBodySize } from '../../filters/limits/max-body-size.js';
import { Circuit } from '../../filters/breaker/circuit.js';
import { circuitCount, circuitFor, sweepCircuits } from '../../filters/breaker/circuits.js';
import { consecutiveBreaker } from '../../filters/breaker/consecutive-breaker.js';
import { outcomeKey, type OutcomeListener } from '../../src/backend/health.js';
import type { ExchangeRecord } from '../../src/proxy/observer.js';
import { expectInvalidArgs } from '../filters/expect-invalid.js';
import { createFilter, filterContext, runRequest } from '../helpers/filter-context.js';

describe('byte sizes', () => {
  it('reads numbers and binary units, and refuses anything else', () => {
    expect(parseByteSize(512)).toBe(512);
    expect(parseByteSize('512')).toBe(512);
    expect(parseByteSize('64KB')).toBe(65_536);
    expect(parseByteSize('1MB')).toBe(1_048_576);
    expect(parseByteSize('1.5MiB')).toBe(1_572_864);
    expect(parseByteSize(' 2 gb ')).toBe(2 * 1024 ** 3);
    for (const bad of ['', 'MB', '-1', '1TB', '1e3', 'lots', '1 2']) expect(parseByteSize(bad), bad).toBeUndefined();
    expect(parseByteSize(-1)).toBeUndefined();
    expect(parseByteSize(Number.NaN)).toBeUndefined();
  });
});

describe('maxBodySize', () => {
  it('refuses bad arguments at build time', () => {
    expectInvalidArgs(maxBodySize, []);
    expectInvalidArgs(maxBodySize, ['lots']);
    expectInvalidArgs(maxBodySize, ['1MB', '2MB']);
    expectInvalidArgs(maxBodySize, [{ regexp: '1' }]);
  });

  it('answers 413 with Connection: close to a Content-Length over the cap, and lets the rest pass', () => {
    const f = createFilter(maxBodySize, '1KB');
    const over = runRequest(f, filterContext({ method: 'POST', headers: { 'content-length': '1025' } }));
    expect(over.reply?.status).toBe(413);
    expect(over.reply?.headers?.connection).toBe('close');
    for (const headers of [{ 'content-length': '1024' }, {}, { 'transfer-encoding': 'chunked' }]) {
      expect(runRequest(f, filterContext({ method: 'POST', headers })).served).toBe(false);
    }
  });
});

describe('circuit', () => {
  function clock(): { now: () => number; advance: (ms: number) => void } {
    let t = 1_000;
    return { now: () => t, advance: (ms) => void (t += ms) };
  }
  const settings = { failures: 3, timeoutMs: 1000, halfOpenRequests: 2, idleTtlMs: 60_000 };
  const record = {} as ExchangeRecord;

  it('opens after n failures in a row; a success in between resets the count', () => {
    const c = new Circuit(settings, clock().now);
    c.admit()!.settle('failure', record);
    c.admit()!.settle('failure', record);
    c.admit()!.settle('success', record);
    c.admit()!.settle('failure', record);
    c.admit()!.settle('failure', record);
    expect(c.state).toBe('closed');
    c.admit()!.settle('failure', record);
    expect(c.state).toBe('open');
    expect(c.admit()).toBeNull();
  });

  it('half-opens after the timeout with a fixed number of trials, closes when all succeed', () => {
    const k = clock();
    const c = new Circuit(settings, k.now);
    for (let i = 0; i < 3; i++) c.admit()!.settle('failure', record);
    k.advance(999);
    expect(c.admit()).toBeNull();
    k.advance(1);
    expect(c.state).toBe('half-open');
    const a = c.admit()!;
    const b = c.admit()!;
    expect(c.admit()).toBeNull();
    a.settle('success', record);
    expect(c.state).toBe('half-open');
    b.settle('success', record);
    expect(c.state).toBe('closed');
  });

  it('reopens on a failed trial; a trial that proves nothing frees its slot; late outcomes of an older state are ignored', () => {
    const k = clock();
    const c = new Circuit(settings, k.now);
    const late = c.admit()!;
    for (let i = 0; i < 3; i++) c.admit()!.settle('failure', record);
    k.advance(1000);
    const t1 = c.admit()!;
    const t2 = c.admit()!;
    t1.settle('none', record);
    const t3 = c.admit()!;
    expect(t3).not.toBeNull();
    late.settle('failure', record); // admitted while closed: no effect on the trials
    expect(c.state).toBe('half-open');
    t2.settle('failure', record);
    expect(c.state).toBe('open');
    t3.settle('success', record);
    expect(c.state).toBe('open');
  });

  it('shares one circuit per route and settings, dropped after its idle TTL', () => {
    const before = circuitCount();
    const a = circuitFor('idle_route', { ...settings, idleTtlMs: 50 });
    expect(circuitFor('idle_route', { ...settings, idleTtlMs: 50 })).toBe(a);
    expect(circuitFor('idle_route', { ...settings, idleTtlMs: 50, failures: 4 })).not.toBe(a);
    expect(circuitCount()).toBe(before + 2);
    sweepCircuits(Date.now() + 1000);
    expect(circuitFor('idle_route', { ...settings, idleTtlMs: 50 })).not.toBe(a);
  });
});

describe('consecutiveBreaker', () => {
  it('refuses bad arguments at build time', () => {
    expectInvalidArgs(consecutiveBreaker, []);
    expectInvalidArgs(consecutiveBreaker, [0]);
    expectInvalidArgs(consecutiveBreaker, [1.5]);
    expectInvalidArgs(consecutiveBreaker, [3, 'soon']);
    expectInvalidArgs(consecutiveBreaker, [3, '10s', 0]);
    expectInvalidArgs(consecutiveBreaker, [3, '10s', 1, '-1s']);
    expectInvalidArgs(consecutiveBreaker, [3, '10s', 1, '1h', 'extra']);
  });

  it('leaves an outcome ticket while closed and answers 503 with X-Circuit-Open once open', () => {
    const f = createFilter(consecutiveBreaker, 2, '1m');
    const routeId = `unit_${Math.random()}`;
    for (let i = 0; i < 2; i++) {
      const ctx = runRequest(f, filterContext({ routeId }));
      expect(ctx.served).toBe(false);
      (ctx.state.get(outcomeKey) as OutcomeListener).settle('failure', {} as ExchangeRecord);
    }
    const open = runRequest(f, filterContext({ routeId }));
    expect(open.reply?.status).toBe(503);
    expect(open.reply?.headers?.['x-circuit-open']).toBe('true');
    expect(open.state.has(outcomeKey)).toBe(false);
  });
});
