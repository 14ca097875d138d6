// The load generator as a process of its own, so that it can be pinned to one core
// (`taskset -c 1 node bench/lib/load-generator.js`) while the servers keep every core, and so
// that the bench runner's own work never shares its event loop. It takes jobs over IPC:
//   { id, kind: 'closed', url, connections, duration, method?, bodySize?, headers? }
//     autocannon at full speed (each connection sends its next request when the last returns)
//   { id, kind: 'rate', url, rate, duration, connections?, headers? }
//     open-loop requests at a fixed rate (fixed-rate.js)
// and answers { id, result } with req/s, latency percentiles in ms and errors, or { id, error }.
import autocannon from 'autocannon';
import { fixedRate } from './fixed-rate.js';

/** autocannon keeps latencies in whole milliseconds; loopback needs microseconds, so keep our own. */
async function closedLoop({ url, connections, duration, method = 'GET', bodySize = 0, headers = {} }) {
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  const body = bodySize > 0 ? Buffer.alloc(bodySize, 'b') : undefined;
  const instance = autocannon({ url, connections, duration, method, body, headers, pipelining: 1 });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode < 200 || statusCode >= 300) return;
    if (count === latencies.length) {
      const grown = new Float64Array(count * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = responseTime;
  });
  const result = await instance;
  const sorted = latencies.subarray(0, count).sort();
  const at = (q) => (count === 0 ? NaN : sorted[Math.min(count - 1, Math.ceil(q * count) - 1)]);
  return {
    rps: result.requests.total / result.duration,
    requests: result.requests.total,
    p50: at(0.5),
    p99: at(0.99),
    p999: at(0.999),
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

process.on('message', async (job) => {
  try {
    const result = job.kind === 'rate' ? await fixedRate(job.url, job) : await closedLoop(job);
    process.send({ id: job.id, result });
  } catch (err) {
    process.send({ id: job.id, error: String(err?.stack ?? err) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
