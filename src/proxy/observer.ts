/**
 * What the proxy tells metrics, access logs and tracing about each request. The proxy calls
 * these hooks; it knows nothing of Prometheus or OpenTelemetry. Every hook is optional and
 * synchronous, and must not throw.
 */
import type { IncomingMessage } from 'node:http';
import type { Endpoint } from '../backend/backend.js';
import type { OutgoingRequest, RequestView } from '../spec.js';

/** The facts about one finished (or abandoned) request. */
export interface ExchangeRecord {
  readonly req: IncomingMessage;
  readonly view: RequestView;
  /** Route id, or '' when no route matched. */
  readonly routeId: string;
  /** Status sent to the client; 499 when the client went away first. */
  readonly status: number;
  /** process.hrtime.bigint() at arrival, and when the response finished. */
  readonly startNs: bigint;
  readonly endNs: bigint;
  /** Backend call start/end (0n when no backend was called). */
  readonly upstreamStartNs: bigint;
  readonly upstreamEndNs: bigint;
  readonly endpoint: Endpoint | null;
  /** Body bytes sent to the client. */
  readonly bytes: number;
  /** Why skiff answered with an error itself: 'dial', 'timeout', 'network', 'no_route', …; '' otherwise. */
  readonly failure: string;
  /** Per-request bag of the filters (flow id, trace context …). */
  readonly filterState: ReadonlyMap<string, unknown> | undefined;
  /** The request as sent upstream (after filters); null when no route matched. */
  readonly outgoing: OutgoingRequest | null;
  /** A slot for observers to keep per-request data (a span) from one hook to the next. */
  observerData: unknown;
}

export interface ProxyObserver {
  /** After the route lookup (matched or not), before any filter runs. */
  started?(record: ExchangeRecord): void;
  /** Before the upstream call: may add headers (trace context) to the outgoing request. */
  upstreamStarting?(record: ExchangeRecord, headers: Record<string, string | string[]>): void;
  finished?(record: ExchangeRecord): void;
}

export const noopObserver: ProxyObserver = Object.freeze({});
