/**
 * Failures talking to the API server, with the HTTP status (or the code of a Status object
 * inside a watch stream) so the watch loop can tell "history expired, relist" (410 Gone)
 * from everything else (back off and retry).
 */

export interface KubeStatus {
  readonly kind?: string;
  readonly code?: number;
  readonly reason?: string;
  readonly message?: string;
}

export class KubeApiError extends Error {
  /** HTTP status, or the Status code of an ERROR watch event; 0 when no answer came. */
  readonly status: number;
  readonly reason: string | undefined;

  constructor(status: number, message: string, reason?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KubeApiError';
    this.status = status;
    this.reason = reason;
  }

  static fromStatus(status: number, body: unknown, what: string): KubeApiError {
    const s = (typeof body === 'object' && body !== null ? body : {}) as KubeStatus;
    const code = typeof s.code === 'number' && s.code > 0 ? s.code : status;
    const detail = typeof s.message === 'string' && s.message ? `: ${s.message}` : '';
    return new KubeApiError(code, `${what} failed with ${code}${detail}`, typeof s.reason === 'string' ? s.reason : undefined);
  }
}

/** 410 Gone: the resourceVersion (or a list continue token) is older than the server's history. */
export function isGone(err: unknown): boolean {
  return err instanceof KubeApiError && (err.status === 410 || err.reason === 'Expired' || err.reason === 'Gone');
}
