/**
 * HTTP to the Kubernetes API on a dedicated undici Agent that carries the cluster's TLS
 * settings: JSON GET and PATCH for lists and status writes, and an open streaming response
 * for watches. Non-2xx answers become KubeApiError with the server's Status code.
 */

import { Agent } from 'undici';
import type { Dispatcher } from 'undici';
import { KubeApiError } from './api-error.js';
import type { KubeConnection } from './config.js';

export type QueryValue = string | number | boolean | undefined;
export type Query = Readonly<Record<string, QueryValue>>;

export interface KubeApiClientOptions {
  /** Whole-request deadline for list and patch requests. */
  readonly requestTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
}

export interface WatchRequestOptions {
  readonly signal: AbortSignal;
  /** The stream is torn down when no byte arrives for this long (a half-open connection). */
  readonly inactivityTimeoutMs: number;
}

function buildQuery(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== '') params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

async function readErrorBody(body: Dispatcher.ResponseData['body']): Promise<unknown> {
  try {
    const text = await body.text();
    try {
      return JSON.parse(text);
    } catch {
      return { message: text.slice(0, 200) };
    }
  } catch {
    return undefined;
  }
}

export class KubeApiClient {
  readonly connection: KubeConnection;
  private readonly agent: Agent;
  private readonly origin: string;
  private readonly basePath: string;
  private readonly requestTimeoutMs: number;

  constructor(connection: KubeConnection, options: KubeApiClientOptions = {}) {
    this.connection = connection;
    const url = new URL(connection.server);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
    this.agent = new Agent({
      connect: {
        timeout: options.connectTimeoutMs ?? 10_000,
        rejectUnauthorized: connection.rejectUnauthorized,
        ...(connection.ca ? { ca: connection.ca } : {}),
        ...(connection.cert ? { cert: connection.cert } : {}),
        ...(connection.key ? { key: connection.key } : {}),
        ...(connection.servername ? { servername: connection.servername } : {}),
      },
    });
  }

  private async headers(extra?: Record<string, string>): Promise<Record<string, string>> {
    const headers: Record<string, string> = { accept: 'application/json', ...this.connection.headers, ...extra };
    const authorization = await this.connection.credentials.authorization();
    if (authorization) headers['authorization'] = authorization;
    return headers;
  }

  private async send(
    method: Dispatcher.HttpMethod,
    path: string,
    query: Query | undefined,
    signal: AbortSignal,
    timeouts: { headersTimeout: number; bodyTimeout: number },
    body?: { contentType: string; data: string },
  ): Promise<Dispatcher.ResponseData> {
    const headers = await this.headers(body ? { 'content-type': body.contentType } : undefined);
    const res = await this.agent.request({
      origin: this.origin,
      path: `${this.basePath}${path}${buildQuery(query)}`,
      method,
      headers,
      signal,
      ...(body ? { body: body.data } : {}),
      ...timeouts,
    });
    if (res.statusCode === 401) this.connection.credentials.invalidate();
    return res;
  }

  private deadline(signal: AbortSignal | undefined): AbortSignal {
    const timeout = AbortSignal.timeout(this.requestTimeoutMs);
    return signal ? AbortSignal.any([signal, timeout]) : timeout;
  }

  /** GET a JSON document; throws KubeApiError on any non-2xx status. */
  async getJson<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    const t = this.requestTimeoutMs;
    const res = await this.send('GET', path, query, this.deadline(signal), { headersTimeout: t, bodyTimeout: t });
    if (res.statusCode < 200 || res.statusCode >= 300) {
      throw KubeApiError.fromStatus(res.statusCode, await readErrorBody(res.body), `GET ${path}`);
    }
    return (await res.body.json()) as T;
  }

  /** PATCH with the given patch content type (merge, strategic or JSON patch). */
  async patchJson<T>(path: string, patch: unknown, contentType: string, signal?: AbortSignal): Promise<T> {
    const t = this.requestTimeoutMs;
    const res = await this.send('PATCH', path, undefined, this.deadline(signal), { headersTimeout: t, bodyTimeout: t }, {
      contentType,
      data: JSON.stringify(patch),
    });
    if (res.statusCode < 200 || res.statusCode >= 300) {
      throw KubeApiError.fromStatus(res.statusCode, await readErrorBody(res.body), `PATCH ${path}`);
    }
    return (await res.body.json()) as T;
  }

  /**
   * Opens a watch and returns its body as a byte stream. The caller owns the stream: it must
   * read it to the end or abort the signal.
   */
  async openWatch(path: string, query: Query, options: WatchRequestOptions): Promise<AsyncIterable<Uint8Array>> {
    const t = options.inactivityTimeoutMs;
    const res = await this.send('GET', path, query, options.signal, { headersTimeout: t, bodyTimeout: t });
    if (res.statusCode !== 200) {
      throw KubeApiError.fromStatus(res.statusCode, await readErrorBody(res.body), `WATCH ${path}`);
    }
    return res.body;
  }

  async close(): Promise<void> {
    await this.agent.destroy();
  }
}
