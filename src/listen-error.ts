/**
 * A listener that cannot be bound. Its message names the listener and address and says why in
 * words (`listener default 127.0.0.1:9090: address already in use`), since it is the last line
 * an operator reads before the process exits: Node's own text (`bind EADDRINUSE 127.0.0.1:9090`
 * in a cluster worker) names neither the listener nor the flag to change.
 */
import { ErrorCode, SkiffError } from './errors.js';

/** Why a bind failed, by the system error code; anything else keeps Node's message. */
const reasons: Readonly<Record<string, string>> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied (a port below 1024 needs root or CAP_NET_BIND_SERVICE)',
  EADDRNOTAVAIL: 'address not available on this host',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name not found (temporary DNS failure)',
};

export class ListenError extends SkiffError {
  /** The proxy listener's name; null for the support listener. */
  readonly listener: string | null;
  readonly host: string;
  readonly port: number;
  /** The system error code (`EADDRINUSE`), or undefined when the cause carried none. */
  readonly errno: string | undefined;

  constructor(listener: string | null, host: string, port: number, cause: unknown) {
    const errno = typeof (cause as { code?: unknown } | null)?.code === 'string' ? (cause as { code: string }).code : undefined;
    const why = (errno !== undefined ? reasons[errno] : undefined) ?? (cause instanceof Error ? cause.message : String(cause));
    const what = listener === null ? 'support listener' : `listener ${listener}`;
    super(ErrorCode.Listen, `${what} ${host}:${port}: ${why}`, { cause });
    this.name = 'ListenError';
    this.listener = listener;
    this.host = host;
    this.port = port;
    this.errno = errno;
  }
}
