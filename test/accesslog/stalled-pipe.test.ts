/**
 * A log reader that stops reading must cost log lines, not latency: with the destination a pipe
 * nobody drains, the event loop keeps its timers on time, the queue stays bounded and the
 * overflow is counted as dropped.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessLog } from '../../src/accesslog/access-log.js';
import { silentLogger } from '../../src/log.js';

describe('access log on a stalled pipe', () => {
  let reader: ChildProcess | undefined;
  afterAll(() => {
    reader?.kill('SIGKILL');
  });

  it('never blocks the event loop and drops past its bound', async () => {
    const fifo = join(mkdtempSync(join(tmpdir(), 'skiff-fifo-')), 'log');
    execFileSync('mkfifo', [fifo]);
    // Opens the read end and never reads: the pipe fills after its kernel buffer (64 KiB).
    reader = spawn('sh', ['-c', `exec 3<"${fifo}"; sleep 30`], { stdio: 'ignore' });
    const log = new AccessLog({ enabled: true, destination: fifo, maxQueuedBytes: 256 * 1024, flushIntervalMs: 5 }, () => '', silentLogger);
    const line = JSON.stringify({ filler: 'x'.repeat(200) }) + '\n';

    let worstLagMs = 0;
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 500; i++) log.writer.write(line);
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, 5));
      worstLagMs = Math.max(worstLagMs, performance.now() - t0 - 5);
    }
    // 40 × 500 lines of 213 bytes is over 4 MB into a pipe that holds 64 KiB.
    expect(log.writer.dropped).toBeGreaterThan(10_000);
    expect(log.writer.written).toBeLessThan(2_000);
    expect(log.writer.written + log.writer.dropped).toBeLessThanOrEqual(20_000);
    // A blocking write would stop the loop for good; a machine busy with other work may delay a
    // timer by tens of milliseconds without any fault of the log's.
    expect(worstLagMs).toBeLessThan(500);
  });
});
