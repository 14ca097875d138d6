/**
 * A request context that is also the record the observers read (metrics, tracing, access log,
 * passive health): the timings, the endpoint, the status and the failure reason live on the one
 * per-request object, for a normal exchange (exchange.ts) and an upgrade (upgrade.ts) alike.
 */
import type { IncomingMessage } from 'node:http';
import type { OutgoingRequest, RequestView } from '../spec.js';
import type { Route } from '../routing/route.js';
import type { Endpoint } from '../backend/backend.js';
import type { ProxyRuntime } from './runtime.js';
import type { ExchangeRecord } from './observer.js';
import { RequestContext } from './context.js';

export abstract class ObservedContext extends RequestContext implements ExchangeRecord {
  endNs = 0n;
  upstreamStartNs = 0n;
  upstreamEndNs = 0n;
  endpoint: Endpoint | null = null;
  status = 0;
  bytes = 0;
  failure = '';
  observerData: unknown = undefined;

  constructor(
    protected readonly rt: ProxyRuntime,
    readonly req: IncomingMessage,
    readonly startNs: bigint,
    view: RequestView,
    route: Route,
    params: Readonly<Record<string, string>> | null,
    outgoing: OutgoingRequest,
  ) {
    super(view, route, params, outgoing);
  }

  get view(): RequestView {
    return this.request;
  }

  get filterState(): ReadonlyMap<string, unknown> | undefined {
    return this.hasState ? this.state : undefined;
  }

  /** Tells the observers the request started, then runs the request filters. */
  start(): void {
    this.rt.observer.started?.(this);
    this.runRequestFilters(0);
  }
}
