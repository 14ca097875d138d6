import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { formatAccessLine, type AccessLogEntry } from '../../src/accesslog/line.js';
import type { ExchangeRecord } from '../../src/proxy/observer.js';
import { requestView } from '../helpers/request.js';

function record(over: Partial<ExchangeRecord> & { host?: string; url?: string; clientIp?: string | null } = {}): ExchangeRecord {
  const view = requestView({ host: over.host ?? 'a.example', url: over.url ?? '/p', clientIp: over.clientIp === undefined ? '10.0.0.1' : over.clientIp });
  return {
    req: { headers: view.headers } as IncomingMessage,
    view,
    routeId: 'r1',
    status: 200,
    startNs: 1_000_000_000n,
    endNs: 1_002_500_000n,
    upstreamStartNs: 0n,
    upstreamEndNs: 0n,
    endpoint: { origin: 'http://10.1.2.3:8080', authority: '10.1.2.3:8080' },
    bytes: 42,
    failure: '',
    filterState: undefined,
    observerData: undefined,
    ...over,
  };
}

describe('formatAccessLine', () => {
  it('writes one JSON object and a newline', () => {
    const now = Date.parse('2024-05-01T10:00:00.000Z');
    const line = formatAccessLine(record(), now, 'flow1', 'trace1');
    expect(line.endsWith('}\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    const e = JSON.parse(line) as AccessLogEntry;
    expect(e).toEqual({
      time: '2024-05-01T09:59:59.998Z',
      client_ip: '10.0.0.1',
      method: 'GET',
      host: 'a.example',
      path: '/p',
      status: 200,
      bytes: 42,
      duration_ms: 2.5,
      route: 'r1',
      endpoint: '10.1.2.3:8080',
      flow_id: 'flow1',
      trace_id: 'trace1',
      failure: '',
    });
  });

  it('escapes what a client controls', () => {
    const nasty = 'a"b\\c\u0001d\ud800e\u00e9\u20ac\u007f';
    const line = formatAccessLine(record({ host: nasty, url: '/x"y' }), Date.now(), 'f"\n', '');
    expect(line.split('\n')).toHaveLength(2);
    // Pure printable ASCII, so the writer may copy it byte for byte.
    expect(line).toMatch(/^[\x20-\x7e]*\n$/);
    const e = JSON.parse(line) as AccessLogEntry;
    expect(e.host).toBe(nasty);
    expect(e.path).toBe('/x"y');
    expect(e.flow_id).toBe('f"\n');
  });

  it('writes empty strings for what is unknown', () => {
    const e = JSON.parse(formatAccessLine(record({ clientIp: null, endpoint: null, routeId: '' }), Date.now(), '', '')) as AccessLogEntry;
    expect(e.client_ip).toBe('');
    expect(e.endpoint).toBe('');
    expect(e.route).toBe('');
  });
});
