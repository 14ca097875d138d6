/**
 * A FilterContext for unit tests of filters and templates: built from a TestRequest, with the
 * outgoing request initialised the way the proxy does it, local replies recorded, and a way to
 * enter the response phase. Also small runners that create a filter from a spec and apply it.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type {
  Arg,
  Filter,
  FilterContext,
  FilterSpec,
  LocalReply,
  OutgoingRequest,
  ResponseState,
} from '../../src/spec.js';
import type { IncomingRequestView } from '../../src/proxy/request-view.js';
import { requestView, type TestRequest } from './request.js';

export interface TestContextInit extends TestRequest {
  params?: Record<string, string>;
  routeId?: string;
}

export class TestFilterContext implements FilterContext {
  readonly request: IncomingRequestView;
  readonly outgoing: OutgoingRequest;
  response: ResponseState | null = null;
  readonly params: Readonly<Record<string, string>>;
  readonly state = new Map<string, unknown>();
  readonly routeId: string;
  served = false;
  /** The reply given to serve(), if any. */
  reply: LocalReply | undefined;

  constructor(init: TestContextInit = {}) {
    this.request = requestView(init);
    this.outgoing = {
      method: this.request.method,
      path: this.request.rawPath,
      query: this.request.rawQuery,
      headers: copyHeaders(this.request.headers),
      preserveHost: true,
      backendUrl: undefined,
      timeoutMs: undefined,
    };
    this.params = init.params ?? {};
    this.routeId = init.routeId ?? 'test_route';
  }

  serve(reply: LocalReply): void {
    if (this.served) throw new Error('serve() called twice');
    this.served = true;
    this.reply = reply;
  }

  /**
   * Enters the response phase: from the local reply when one was served, else from `init`
   * (status 200, no headers by default), as the proxy does with a backend response.
   */
  respond(init: Partial<ResponseState> = {}): ResponseState {
    const fromReply = this.reply;
    this.response = {
      status: init.status ?? fromReply?.status ?? 200,
      headers: { ...(fromReply?.headers ?? {}), ...(init.headers ?? {}) },
      body: init.body ?? fromReply?.body,
    };
    return this.response;
  }
}

/**
 * The client's headers as the outgoing request starts with them, Host included, as the proxy
 * does: it swaps Host for the backend's address only when preserveHost is off and no filter
 * changed `outgoing.headers.host`.
 */
function copyHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? [...value] : value;
  }
  return out;
}

export function filterContext(init: TestContextInit = {}): TestFilterContext {
  return new TestFilterContext(init);
}

/** Creates a filter from its spec, as the route table builder does. */
export function createFilter(spec: FilterSpec, ...args: Arg[]): Filter {
  return spec.create(args);
}

/** Runs the request phase of a synchronous filter. */
export function runRequest(filter: Filter, ctx: TestFilterContext): TestFilterContext {
  const result = filter.request?.(ctx);
  if (result instanceof Promise) throw new Error('request() returned a promise');
  return ctx;
}

/** Enters the response phase (unless already in it) and runs a synchronous filter's response(). */
export function runResponse(
  filter: Filter,
  ctx: TestFilterContext,
  init?: Partial<ResponseState>,
): ResponseState {
  const response = ctx.response ?? ctx.respond(init);
  const result = filter.response?.(ctx);
  if (result instanceof Promise) throw new Error('response() returned a promise');
  return response;
}
