/** ExchangeRecords for observer tests (metrics, access log) without a running proxy. */
import type { IncomingMessage } from 'node:http';
import type { ExchangeRecord } from '../../src/proxy/observer.js';
import { requestView, type TestRequest } from './request.js';

/** A finished GET of `/` on a.example through route `r`, no backend call; any field can be given. */
export function exchangeRecord(over: Partial<ExchangeRecord> & { request?: TestRequest } = {}): ExchangeRecord {
  const { request, ...fields } = over;
  const view = requestView({ host: 'a.example', ...request });
  return {
    req: { headers: view.headers } as IncomingMessage,
    view,
    routeId: 'r',
    status: 200,
    startNs: 1_000_000n,
    endNs: 2_000_000n,
    upstreamStartNs: 0n,
    upstreamEndNs: 0n,
    endpoint: null,
    bytes: 0,
    failure: '',
    filterState: undefined,
    outgoing: null,
    observerData: undefined,
    ...fields,
  };
}
