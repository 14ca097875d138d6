/**
 * How request-time failures become local replies, the way Skipper maps them: a backend that
 * cannot be dialled → 502, a timeout → 504, any other network failure → 503. Each failure also
 * gets a stable reason code for metrics and logs.
 */

export interface FailureMapping {
  readonly status: number;
  /** Short, stable label: dial, timeout, reset, network, header, … */
  readonly reason: string;
}

const dialCodes = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const timeoutCodes = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'SKIFF_BACKEND_TIMEOUT', 'ETIMEDOUT']);

export function errorCode(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const cause = (err as { cause?: unknown }).cause;
    if (cause !== undefined && cause !== err) return errorCode(cause);
  }
  return 'UNKNOWN';
}

export function mapUpstreamError(err: unknown): FailureMapping {
  // undici 7 raises its response parser errors without a code; an invalid response is a 502.
  if ((err as { name?: unknown } | null)?.name === 'HTTPParserError') return { status: 502, reason: 'response' };
  const code = errorCode(err);
  if (dialCodes.has(code)) return { status: 502, reason: 'dial' };
  // Both Content-Length and Transfer-Encoding, or two Content-Lengths: an invalid response.
  if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') return { status: 502, reason: 'response' };
  if (backendAnswered(err)) return { status: 502, reason: 'response' };
  if (code === 'SKIFF_BACKEND_QUEUE_TIMEOUT') return { status: 503, reason: 'queue' };
  if (timeoutCodes.has(code)) return { status: 504, reason: 'timeout' };
  if (code === 'UND_ERR_INVALID_ARG' || code === 'ERR_INVALID_CHAR' || code === 'UND_ERR_NOT_SUPPORTED') {
    return { status: 502, reason: 'request' };
  }
  if (code === 'HPE_HEADER_OVERFLOW' || code === 'UND_ERR_HEADERS_OVERFLOW' || code.startsWith('HPE_')) {
    return { status: 502, reason: 'response' };
  }
  return { status: 503, reason: 'network' };
}

/** A dial failure means nothing reached the backend: safe to retry a request without a body. */
export function isDialError(err: unknown): boolean {
  return dialCodes.has(errorCode(err));
}

const resetCodes = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

/**
 * The connection went away before any answer: typically a pooled keep-alive connection the
 * backend had just closed. Safe to retry only for idempotent requests without a body.
 */
export function isConnectionReset(err: unknown): boolean {
  return resetCodes.has(errorCode(err)) && !backendAnswered(err);
}

/**
 * undici closes the connection with a SocketError of these messages when the backend sent a
 * status line it does not take (a 100 Continue nobody asked for, a 101 without an upgrade):
 * the request reached the backend, so it is a bad answer, never a reset to retry.
 */
const answeredMessages = new Set(['bad response', 'bad upgrade']);

export function backendAnswered(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; message?: unknown };
  return e.code === 'UND_ERR_SOCKET' && typeof e.message === 'string' && answeredMessages.has(e.message);
}

const idempotent = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isIdempotent(method: string): boolean {
  return idempotent.has(method);
}

export class BackendQueueTimeoutError extends Error {
  readonly code = 'SKIFF_BACKEND_QUEUE_TIMEOUT';

  constructor(ms: number) {
    super(`no connection to the backend became free within ${ms} ms`);
  }
}

export class BackendTimeoutError extends Error {
  readonly code = 'SKIFF_BACKEND_TIMEOUT';

  constructor(ms: number) {
    super(`backend did not answer within ${ms} ms`);
  }
}
