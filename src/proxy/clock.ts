/**
 * The proxy's monotonic clock, in nanoseconds. Taken from `process` once: in an ES module every
 * `process.…` read goes through the `globalThis.process` getter Node installs, which the hot
 * path would otherwise pay for at each of its timestamps.
 */
export const monotonicNs: () => bigint = process.hrtime.bigint;
