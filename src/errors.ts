/**
 * Errors with stable codes. Build-time problems (a bad argument, an unknown filter) throw a
 * SkiffError; the table builder catches it and sets only that route aside with the code and
 * message as its reason. Tests assert codes, not messages.
 */

export const ErrorCode = {
  /** eskip text that does not parse. */
  Parse: 'SKIFF_ERR_PARSE',
  /** A predicate or filter called with arguments it cannot use. */
  InvalidArgs: 'SKIFF_ERR_INVALID_ARGS',
  UnknownPredicate: 'SKIFF_ERR_UNKNOWN_PREDICATE',
  UnknownFilter: 'SKIFF_ERR_UNKNOWN_FILTER',
  /** A route that is well formed alone but conflicts with the table (duplicate id, ambiguous wildcard). */
  InvalidRoute: 'SKIFF_ERR_INVALID_ROUTE',
  InvalidBackend: 'SKIFF_ERR_INVALID_BACKEND',
  /**
   * An Ingress backend that is an ExternalName Service while those are off, or whose name no
   * allow-list pattern matches: its path answers 404 instead of reaching the name.
   */
  ExternalNameNotAllowed: 'SKIFF_ERR_EXTERNAL_NAME_NOT_ALLOWED',
  /** A Kubernetes object or annotation that cannot be translated. */
  InvalidIngress: 'SKIFF_ERR_INVALID_INGRESS',
  InvalidOption: 'SKIFF_ERR_INVALID_OPTION',
  Plugin: 'SKIFF_ERR_PLUGIN',
  /** A file or directory a route source names that cannot be read. */
  Source: 'SKIFF_ERR_SOURCE',
  /** A listener (proxy or support) that cannot be bound: port taken, no permission, no such address. */
  Listen: 'SKIFF_ERR_LISTEN',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class SkiffError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SkiffError';
    this.code = code;
  }
}

export function invalidArgs(name: string, message: string): SkiffError {
  return new SkiffError(ErrorCode.InvalidArgs, `${name}: ${message}`);
}
