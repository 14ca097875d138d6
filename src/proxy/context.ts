/**
 * The per-request context filters see (FilterContext) and the filter chain that drives it.
 * One instance per request holds everything the pipeline needs, so the request path allocates
 * one object instead of many small ones. Subclasses add the downstream side: a normal response
 * (src/proxy/exchange.ts) or a protocol upgrade (src/proxy/upgrade.ts).
 */
import type { FilterContext, Filter, LocalReply, OutgoingRequest, RequestView, ResponseState } from '../spec.js';
import type { Route } from '../routing/route.js';
import type { Endpoint } from '../backend/backend.js';
import { CONSISTENT_HASH_BALANCE_FACTOR, CONSISTENT_HASH_KEY } from '../backend/balancer.js';
import { parseEndpoint } from '../backend/endpoint.js';

const emptyParams: Readonly<Record<string, string>> = Object.freeze(Object.create(null));

export abstract class RequestContext implements FilterContext {
  request: RequestView;
  readonly outgoing: OutgoingRequest;
  response: ResponseState | null = null;
  params: Readonly<Record<string, string>>;
  route: Route;
  /** Filters whose request phase ran and that have a response phase, in request order. */
  protected responseChain: Filter[] | null = null;
  private stateBag: Map<string, unknown> | undefined;
  private reply: LocalReply | null = null;
  /** Host value the client sent; a filter that changes outgoing host wins over preserveHost. */
  readonly originalHost: string;
  loopbacks = 0;
  /** Set once the request is finished (answered or abandoned); late callbacks check it. */
  done = false;

  constructor(view: RequestView, route: Route, params: Readonly<Record<string, string>> | null, outgoing: OutgoingRequest) {
    this.request = view;
    this.route = route;
    this.params = params ?? emptyParams;
    this.outgoing = outgoing;
    this.originalHost = view.host;
  }

  get routeId(): string {
    return this.route.id;
  }

  get state(): Map<string, unknown> {
    return (this.stateBag ??= new Map());
  }

  /** True once some filter used the state bag; saves creating it for records and hash keys. */
  get hasState(): boolean {
    return this.stateBag !== undefined;
  }

  get served(): boolean {
    return this.reply !== null;
  }

  serve(reply: LocalReply): void {
    this.reply = reply;
  }

  protected get localReply(): LocalReply | null {
    return this.reply;
  }

  /**
   * Runs the route's request filters from `from` on. Synchronous unless a filter returns a
   * promise; then it continues from the next filter when the promise settles.
   * hot path: no closure unless a filter is asynchronous.
   */
  protected runRequestFilters(from: number): void {
    const filters = this.route.filters;
    for (let i = from; i < filters.length; i++) {
      const f = filters[i]!;
      if (f.response !== undefined) (this.responseChain ??= []).push(f);
      if (f.request !== undefined) {
        let result: void | Promise<void>;
        try {
          result = f.request(this);
        } catch (err) {
          this.filterFailed(err);
          return;
        }
        if (result !== undefined && typeof (result as Promise<void>).then === 'function') {
          (result as Promise<void>).then(
            () => this.resumeAfter(i),
            (err: unknown) => this.filterFailed(err),
          );
          return;
        }
      }
      if (this.reply !== null) {
        this.answerLocally(this.reply);
        return;
      }
    }
    this.requestFiltersDone();
  }

  private resumeAfter(i: number): void {
    if (this.done) return;
    if (this.reply !== null) this.answerLocally(this.reply);
    else this.runRequestFilters(i + 1);
  }

  /**
   * Runs the response phase in reverse order over the filters whose request phase ran. Returns
   * a promise only when some filter is asynchronous.
   */
  protected runResponseFilters(response: ResponseState): void | Promise<void> {
    this.response = response;
    const chain = this.responseChain;
    if (chain === null) return;
    for (let i = chain.length - 1; i >= 0; i--) {
      const result = chain[i]!.response!(this);
      if (result !== undefined && typeof (result as Promise<void>).then === 'function') {
        return this.finishResponseFiltersAsync(result as Promise<void>, i - 1);
      }
    }
  }

  private async finishResponseFiltersAsync(pending: Promise<void>, next: number): Promise<void> {
    await pending;
    const chain = this.responseChain!;
    for (let i = next; i >= 0; i--) await chain[i]!.response!(this);
  }

  /** The consistentHash key a filter set (consistentHashKey); else the balancer hashes the client. */
  protected hashKey(): string | undefined {
    if (!this.hasState) return undefined;
    const key = this.state.get(CONSISTENT_HASH_KEY);
    return typeof key === 'string' ? key : undefined;
  }

  /** The bounded-load factor a filter set (consistentHashBalanceFactor). */
  protected balanceFactor(): number | undefined {
    if (!this.hasState) return undefined;
    const factor = this.state.get(CONSISTENT_HASH_BALANCE_FACTOR);
    return typeof factor === 'number' ? factor : undefined;
  }

  /** The target a filter gave a `<dynamic>` route (setDynamicBackend*); null when none is usable. */
  protected dynamicEndpoint(): Endpoint | null {
    const url = this.outgoing.backendUrl;
    if (url === undefined) return null;
    try {
      return parseEndpoint(url);
    } catch {
      return null;
    }
  }

  /** Switches to another route for `<loopback>`: its filters run next, with the same context. */
  protected enterRoute(view: RequestView, route: Route, params: Readonly<Record<string, string>> | null): void {
    this.request = view;
    this.route = route;
    this.params = params ?? emptyParams;
    this.runRequestFilters(0);
  }

  /** A filter answered (serve()) during the request phase. */
  protected abstract answerLocally(reply: LocalReply): void;
  /** Every request filter ran: go to the backend. */
  protected abstract requestFiltersDone(): void;
  /** A filter threw or its promise rejected. */
  protected abstract filterFailed(err: unknown): void;
}
