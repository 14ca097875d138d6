/**
 * The small logging surface the Kubernetes layer writes to. The process wiring passes its
 * own logger; the default writes warnings and errors to stderr as JSON lines so that an API
 * outage is never silent.
 */

export type KubeLogFields = Readonly<Record<string, unknown>>;

export interface KubeLogger {
  debug(message: string, fields?: KubeLogFields): void;
  info(message: string, fields?: KubeLogFields): void;
  warn(message: string, fields?: KubeLogFields): void;
  error(message: string, fields?: KubeLogFields): void;
}

function write(level: string, message: string, fields?: KubeLogFields): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, component: 'kubernetes', msg: message, ...fields });
  process.stderr.write(line + '\n');
}

export const stderrKubeLogger: KubeLogger = {
  debug() {},
  info() {},
  warn: (message, fields) => write('warn', message, fields),
  error: (message, fields) => write('error', message, fields),
};

export const silentKubeLogger: KubeLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** Turns any thrown value into a short, loggable description. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? `${err.message} (${code})` : err.message;
  }
  return String(err);
}
