/**
 * Converts the proxy's `process.hrtime.bigint()` stamps into OpenTelemetry times, so that spans
 * start at the request's arrival rather than when the observer got to them. The offset to the
 * epoch is taken once, from the same clock the SDK uses (performance.timeOrigin + now()).
 */
import type { HrTime } from '@opentelemetry/api';

const epochOffsetNs = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6)) - process.hrtime.bigint();

export function hrTimeOf(monotonicNs: bigint): HrTime {
  const t = monotonicNs + epochOffsetNs;
  return [Number(t / 1_000_000_000n), Number(t % 1_000_000_000n)];
}
