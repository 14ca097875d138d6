// Open-loop load at a fixed request rate, for latency below saturation. autocannon's
// `overallRate` sends each connection's share of a second back to back and then waits, so its
// latencies are those of a burst at full concurrency; here requests leave on a schedule
// (checked every millisecond) whether or not earlier ones have been answered, over a pool of
// keep-alive connections, and each latency runs from the moment the request is handed to the
// pool to the end of its response body, so time queued for a free connection counts.
import { Pool } from 'undici';

/**
 * Sends `rate` requests per second for `warmup` seconds (not recorded), then for `duration`
 * seconds over the same connections, so the measured part starts in the steady state. Returns
 * achieved req/s, latency percentiles in ms (2xx responses), errors (failures and non-2xx), and
 * how far sends fell behind the schedule (ms, mean and max): a late generator would flatter
 * the target, and a large maximum means the machine stalled during the run.
 */
export async function fixedRate(url, { rate, duration, warmup = 0, connections = 50, headers = {}, method = 'GET' }) {
  const target = new URL(url);
  const path = target.pathname + target.search;
  // a target that stops answering fails its requests after 10 s instead of holding the run
  const pool = new Pool(target.origin, { connections, pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: 10_000, bodyTimeout: 10_000 });
  try {
    if (warmup > 0) await schedule(pool, path, method, headers, rate, warmup);
    return await schedule(pool, path, method, headers, rate, duration);
  } finally {
    await pool.destroy();
  }
}

async function schedule(pool, path, method, headers, rate, duration) {
  const total = Math.round(rate * duration);
  const latencies = new Float64Array(total);
  let recorded = 0;
  let errors = 0;
  let finished = 0;
  let sent = 0;
  let lagSum = 0;
  let lagMax = 0;
  const interval = 1000 / rate;
  const start = performance.now();

  await new Promise((resolve) => {
    const settle = () => {
      if (++finished === total) resolve();
    };
    const fire = () => {
      const t0 = performance.now();
      pool.request({ path, method, headers }).then(
        async (res) => {
          await res.body.arrayBuffer();
          if (res.statusCode >= 200 && res.statusCode < 300) latencies[recorded++] = performance.now() - t0;
          else errors++;
          settle();
        },
        () => {
          errors++;
          settle();
        },
      );
    };
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor((now - start) / interval) + 1);
      while (sent < due) {
        const lag = now - (start + sent * interval);
        lagSum += lag;
        if (lag > lagMax) lagMax = lag;
        fire();
        sent++;
      }
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
    };
    tick();
  });
  const elapsed = (performance.now() - start) / 1000;

  const sorted = latencies.subarray(0, recorded).sort();
  const at = (q) => (recorded === 0 ? NaN : sorted[Math.min(recorded - 1, Math.ceil(q * recorded) - 1)]);
  return {
    rps: recorded / elapsed,
    requests: recorded,
    p50: at(0.5),
    p99: at(0.99),
    p999: at(0.999),
    errors,
    lagMeanMs: lagSum / total,
    lagMaxMs: lagMax,
  };
}
