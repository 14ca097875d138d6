/**
 * Request tracing through @opentelemetry/api: an `ingress` server span per request and a
 * `proxy` client span around the backend call, with Skipper's tag names (component=skiff), the
 * incoming trace context and baggage extracted, and the proxy span's context injected into the
 * upstream request. Route filters reach the spans through the state bag (state-keys.ts): the
 * tracing tag filters put attributes on the ingress span, tracingSpanName names the proxy span.
 *
 * Trace headers sent upstream:
 * - With a tracer SDK registered, the propagator's fields (traceparent, tracestate, baggage, …)
 *   are removed from the outgoing request and written afresh from the proxy span. A malformed
 *   incoming traceparent therefore never reaches the backend: the request starts a new trace.
 *   (A propagator without traceparent among its fields, such as B3 alone, leaves a valid one
 *   untouched and removes a malformed one, as below.)
 * - Without one, nothing is traced and no span object is made. A valid incoming traceparent and
 *   its tracestate go upstream untouched (pass-through); a malformed traceparent is removed,
 *   together with its tracestate.
 * Whether an SDK is registered is decided at creation and by `refresh()`.
 */
import { hostname as osHostname } from 'node:os';
import {
  ProxyTracerProvider,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  defaultTextMapGetter,
  defaultTextMapSetter,
  propagation,
  trace,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import type { ExchangeRecord } from '../proxy/observer.js';
import { hrTimeOf } from './clock.js';
import { isValidTraceparent, traceIdOf } from './traceparent.js';
import { BaggageItemValue, TracingProxySpanNameKey, TracingTagsKey } from './state-keys.js';

/** The part of a propagator (or of the global propagation API) tracing uses. */
export interface Propagator {
  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context;
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void;
  fields(): string[];
}

export interface TracingOptions {
  /** The provider to trace with; the global one (set by an SDK's register()) when absent. */
  readonly tracerProvider?: TracerProvider;
  /** The propagator; the global propagation API when absent. */
  readonly propagator?: Propagator;
  /** Server span name (Skipper's -opentracing-initial-span); default `ingress`. */
  readonly ingressSpanName?: string;
  /** Client span name; default `proxy`. A route's `tracingSpanName` overrides it. */
  readonly proxySpanName?: string;
  /** The `hostname` tag; default os.hostname(). */
  readonly hostname?: string;
}

const tracerName = 'skiff';

/** The spans of one request, kept in ExchangeRecord.observerData from hook to hook. */
export class RequestSpans {
  proxy: Span | null = null;

  constructor(
    readonly ingress: Span,
    /** The extracted context (baggage included) with the ingress span set. */
    readonly context: Context,
  ) {}
}

/** True when the provider hands out real tracers, not the API's no-op default. */
export function hasTracerSdk(provider: TracerProvider): boolean {
  if (provider instanceof ProxyTracerProvider) return provider.getDelegateTracer(tracerName) !== undefined;
  return true;
}

export class ProxyTracing {
  private readonly options: TracingOptions;
  private readonly ingressName: string;
  private readonly proxyName: string;
  private readonly hostname: string;
  private tracer: Tracer | null = null;
  private propagator: Propagator = propagation;
  /** Header names the propagator writes: removed from the outgoing request before injecting. */
  private fields: readonly string[] = [];
  private writesTraceparent = false;

  constructor(options: TracingOptions = {}) {
    this.options = options;
    this.ingressName = options.ingressSpanName ?? 'ingress';
    this.proxyName = options.proxySpanName ?? 'proxy';
    this.hostname = options.hostname ?? osHostname();
    this.refresh();
  }

  /** Whether spans are made; false means the no-op path. */
  get active(): boolean {
    return this.tracer !== null;
  }

  /** Looks again for a registered SDK: call after registering one later than this was created. */
  refresh(): void {
    const provider = this.options.tracerProvider ?? trace.getTracerProvider();
    this.tracer = hasTracerSdk(provider) ? provider.getTracer(tracerName) : null;
    this.propagator = this.options.propagator ?? propagation;
    this.fields = this.tracer === null ? [] : this.propagator.fields();
    this.writesTraceparent = this.fields.includes('traceparent');
  }

  /** The ingress span starts at the request's arrival time. */
  started(record: ExchangeRecord): void {
    const tracer = this.tracer;
    if (tracer === null) return;
    const req = record.req;
    const view = record.view;
    const parent = this.propagator.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter);
    const span = tracer.startSpan(
      this.ingressName,
      {
        kind: SpanKind.SERVER,
        startTime: hrTimeOf(record.startNs),
        attributes: {
          component: 'skiff',
          hostname: this.hostname,
          'http.host': view.host,
          'http.method': view.method,
          'http.path': view.path,
          'http.remote_addr': `${view.remoteAddress}:${req.socket.remotePort ?? 0}`,
          'http.url': req.url ?? '/',
          'span.kind': 'server',
        },
      },
      parent,
    );
    record.observerData = new RequestSpans(span, trace.setSpan(parent, span));
  }

  /** Starts the proxy span and writes its context into the outgoing headers. */
  upstreamStarting(record: ExchangeRecord, headers: Record<string, string | string[]>): void {
    const spans = record.observerData;
    const tracer = this.tracer;
    if (tracer === null || !(spans instanceof RequestSpans)) {
      passThrough(headers);
      return;
    }
    const endpoint = record.endpoint;
    // tracingSpanName: the request filters have all run, so the name is final here.
    const state = record.filterState;
    const named = state === undefined ? undefined : state.get(TracingProxySpanNameKey);
    const proxy = tracer.startSpan(
      typeof named === 'string' && named !== '' ? named : this.proxyName,
      {
        kind: SpanKind.CLIENT,
        startTime: hrTimeOf(record.upstreamStartNs),
        attributes: {
          component: 'skiff',
          'http.url': endpoint === null ? outgoingPath(record) : endpoint.origin + outgoingPath(record),
          'skipper.route_id': record.routeId,
          'span.kind': 'client',
        },
      },
      spans.context,
    );
    spans.proxy = proxy;
    for (const f of this.fields) delete headers[f];
    // A propagator that does not speak W3C leaves the incoming header alone: check it as without an SDK.
    if (!this.writesTraceparent) passThrough(headers);
    this.propagator.inject(trace.setSpan(spans.context, proxy), headers, defaultTextMapSetter);
  }

  finished(record: ExchangeRecord): void {
    const spans = record.observerData;
    if (!(spans instanceof RequestSpans)) return;
    const status = record.status;
    const proxy = spans.proxy;
    if (proxy !== null) {
      proxy.setAttribute('http.status_code', status);
      if (record.failure !== '' || status >= 500) proxy.setStatus({ code: SpanStatusCode.ERROR, message: record.failure || undefined });
      proxy.end(hrTimeOf(record.upstreamEndNs === 0n ? record.endNs : record.upstreamEndNs));
    }
    const ingress = spans.ingress;
    ingress.setAttribute('http.status_code', status);
    // hot path: no filter used the state bag, nothing to look up
    const state = record.filterState;
    if (state !== undefined) applyTags(spans, state.get(TracingTagsKey));
    if (status >= 500) ingress.setStatus({ code: SpanStatusCode.ERROR, message: record.failure || undefined });
    ingress.end(hrTimeOf(record.endNs));
  }
}

/** The tags filters left (TracingTagsKey), in the order they were added. */
function applyTags(spans: RequestSpans, tags: unknown): void {
  if (!Array.isArray(tags)) return;
  const ingress = spans.ingress;
  for (let i = 0; i + 1 < tags.length; i += 2) {
    const value: unknown = tags[i + 1];
    if (typeof value === 'string') ingress.setAttribute(String(tags[i]), value);
    else if (value instanceof BaggageItemValue) {
      const item = propagation.getBaggage(spans.context)?.getEntry(value.item)?.value;
      if (typeof item === 'string' && item !== '') ingress.setAttribute(String(tags[i]), item);
    } else ingress.setAttribute(String(tags[i]), String(value));
  }
}

/** The trace id a request is logged under: its span's, or a valid incoming traceparent's. */
export function traceIdOfRecord(record: ExchangeRecord): string {
  const spans = record.observerData;
  if (spans instanceof RequestSpans) {
    const ctx = spans.ingress.spanContext();
    if (ctx.traceId !== '00000000000000000000000000000000') return ctx.traceId;
  }
  return traceIdOf(record.req.headers.traceparent);
}

/** hot path (no SDK): one property read when the request carries no traceparent. */
function passThrough(headers: Record<string, string | string[]>): void {
  const tp = headers.traceparent;
  if (tp === undefined) return;
  if (typeof tp === 'string' && isValidTraceparent(tp)) return;
  delete headers.traceparent;
  delete headers.tracestate;
}

/**
 * The path sent upstream, without the query. The proxy's record is its exchange, which holds
 * the outgoing request; a record without one (a rejected request) falls back to the path received.
 */
function outgoingPath(record: ExchangeRecord): string {
  const outgoing = (record as { readonly outgoing?: { readonly path?: unknown } }).outgoing;
  return typeof outgoing?.path === 'string' ? outgoing.path : record.view.rawPath;
}
