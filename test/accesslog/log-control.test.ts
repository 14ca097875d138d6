/** The access log obeys the control disableAccessLog/enableAccessLog leave in the state bag. */
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { AccessLog } from '../../src/accesslog/access-log.js';
import { ACCESS_LOG_CONTROL_KEY, AccessLogControl, accessLogAllowed } from '../../src/accesslog/log-control.js';
import type { ExchangeRecord } from '../../src/proxy/observer.js';
import { exchangeRecord } from '../helpers/exchange-record.js';
import { silentLogger } from '../../src/log.js';

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString('latin1');
    cb();
  }
}

function record(path: string, status: number, filterState: ReadonlyMap<string, unknown> | undefined): ExchangeRecord {
  return exchangeRecord({ request: { url: path }, status, filterState });
}

const bag = (control: unknown) => new Map<string, unknown>([[ACCESS_LOG_CONTROL_KEY, control]]);

describe('accessLogAllowed', () => {
  it('allows when no filter used the state bag, or none left a control', () => {
    expect(accessLogAllowed(undefined, 200)).toBe(true);
    expect(accessLogAllowed(new Map([['flowId', 'x']]), 200)).toBe(true);
  });

  it('ignores a value under the key that is not a control', () => {
    expect(accessLogAllowed(bag(false), 200)).toBe(true);
    expect(accessLogAllowed(bag({ enable: false, shouldLog: () => false }), 200)).toBe(true);
  });

  it('asks the control', () => {
    expect(accessLogAllowed(bag(new AccessLogControl(false, [])), 200)).toBe(false);
    expect(accessLogAllowed(bag(new AccessLogControl(false, [5])), 200)).toBe(true);
    expect(accessLogAllowed(bag(new AccessLogControl(false, [5])), 503)).toBe(false);
  });
});

describe('AccessLog with controls', () => {
  it('writes only the lines the controls allow, sampling aside', async () => {
    const sink = new Sink();
    const log = new AccessLog({ destination: sink, flushIntervalMs: 0 }, () => '', silentLogger);
    log.finished(record('/plain', 200, undefined));
    log.finished(record('/muted', 200, bag(new AccessLogControl(false, []))));
    log.finished(record('/errors-only-ok', 200, bag(new AccessLogControl(true, [5]))));
    log.finished(record('/errors-only-fail', 502, bag(new AccessLogControl(true, [5]))));
    log.finished(record('/not-404-hit', 404, bag(new AccessLogControl(false, [404]))));
    log.finished(record('/not-404-other', 403, bag(new AccessLogControl(false, [404]))));
    await log.close();
    const paths = sink.text
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { path: string }).path);
    expect(paths).toEqual(['/plain', '/errors-only-fail', '/not-404-other']);
  });
});
