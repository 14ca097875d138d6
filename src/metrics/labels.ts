/**
 * Label values for the request metrics, kept to a bounded set so that no client can grow the
 * number of series: HTTP methods fold into the known ones, status codes are small integers, and
 * hosts are escaped the way Skipper writes them (`.` → `_`, `:` → `__`).
 */

/** The methods that get their own label value; anything else is `_other`. */
export const knownMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE'] as const;
export const otherMethod = '_other';

const methodLabels: readonly string[] = [...knownMethods, otherMethod];
/** How many distinct method labels exist: the width used when packing (status, method) into one key. */
export const methodSlots = methodLabels.length;

/** hot path: a switch on the method string, no allocation. */
export function methodIndex(method: string): number {
  switch (method) {
    case 'GET':
      return 0;
    case 'HEAD':
      return 1;
    case 'POST':
      return 2;
    case 'PUT':
      return 3;
    case 'PATCH':
      return 4;
    case 'DELETE':
      return 5;
    case 'OPTIONS':
      return 6;
    case 'CONNECT':
      return 7;
    case 'TRACE':
      return 8;
    default:
      return 9;
  }
}

export function methodLabel(index: number): string {
  return methodLabels[index] ?? otherMethod;
}

/** Skipper's host label form: `www.example.org:8080` → `www_example_org__8080`. */
export function escapeHost(host: string): string {
  return host.replaceAll(':', '__').replaceAll('.', '_');
}

/** Host label for requests that matched no route: one shared value. */
export const unknownHost = 'unknown';
