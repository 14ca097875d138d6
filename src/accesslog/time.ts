/**
 * The time fields of an access log line, from integers: the arrival time as ISO 8601 with
 * milliseconds (the part up to the second cached, since at any real rate many lines share it)
 * and the duration in microseconds. Formatting a Date or a float per request cost more than the
 * rest of the line.
 */

/** "000" … "999". */
export const pad3: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

let lastSecond = Number.NaN;
let lastPrefix = '';

/** `2024-05-01T09:59:59.` for a second since the epoch; hot path: one comparison when cached. */
export function secondPrefix(second: number): string {
  if (second !== lastSecond) {
    lastSecond = second;
    lastPrefix = new Date(second * 1000).toISOString().slice(0, 20);
  }
  return lastPrefix;
}

/**
 * A request's duration in ns as a number: one BigInt subtraction and one conversion per line.
 * Exact below 2^53 ns (104 days).
 */
export function durationNsOf(startNs: bigint, endNs: bigint): number {
  return Number(endNs - startNs);
}

/** Arrival in whole ms since the epoch: now minus the request's duration. */
export function arrivalMs(nowMs: number, durationNs: number): number {
  return Math.round(nowMs - durationNs / 1e6);
}

export function durationMicros(durationNs: number): number {
  return Math.round(durationNs / 1000);
}
