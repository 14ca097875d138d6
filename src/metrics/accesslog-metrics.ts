/**
 * Counters for the access log writer, read from it at scrape time: lines written and lines
 * dropped because the destination was backed up beyond its bound (or failed).
 */
import { Counter, type Registry } from 'prom-client';

export interface AccessLogCounts {
  readonly written: number;
  readonly dropped: number;
}

export function registerAccessLogMetrics(registry: Registry, counts: AccessLogCounts): void {
  const registers = [registry];
  new Counter({
    name: 'skiff_accesslog_lines_total',
    help: 'Access log lines handed to the destination.',
    registers,
    collect() {
      this.reset();
      this.inc(counts.written);
    },
  });
  new Counter({
    name: 'skiff_accesslog_dropped_lines_total',
    help: 'Access log lines dropped because the destination was backed up or failed.',
    registers,
    collect() {
      this.reset();
      this.inc(counts.dropped);
    },
  });
}
