/**
 * W3C Trace Context `traceparent` checks (https://www.w3.org/TR/trace-context/#traceparent-header),
 * done without an OpenTelemetry SDK: the proxy uses them to drop a malformed header instead of
 * forwarding it, and the access log to show the trace id of a request it passes through.
 */

function isLowerHex(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

function allZero(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (s.charCodeAt(i) !== 48) return false;
  return true;
}

/**
 * hot path: character checks only. Version 00 must be exactly 55 characters; a later version
 * may carry more fields after a dash, which a version-00 reader ignores. Version ff is invalid.
 */
export function isValidTraceparent(value: string): boolean {
  const n = value.length;
  if (n < 55) return false;
  if (!isLowerHex(value, 0, 2) || value.startsWith('ff')) return false;
  if (value.charCodeAt(2) !== 45 || value.charCodeAt(35) !== 45 || value.charCodeAt(52) !== 45) return false;
  if (!isLowerHex(value, 3, 35) || allZero(value, 3, 35)) return false;
  if (!isLowerHex(value, 36, 52) || allZero(value, 36, 52)) return false;
  if (!isLowerHex(value, 53, 55)) return false;
  if (n === 55) return true;
  return !value.startsWith('00') && value.charCodeAt(55) === 45;
}

/** The trace id of a valid traceparent, '' otherwise. */
export function traceIdOf(value: string | string[] | undefined): string {
  if (typeof value !== 'string' || !isValidTraceparent(value)) return '';
  return value.slice(3, 35);
}
