/**
 * OpenTelemetry reports its own trouble (a batch the collector refused or never answered, a bad
 * sampler variable) through the API's `diag` logger, which says nothing until one is set. This
 * one writes warnings and errors to skiff's log, at most one line per interval: while a collector
 * is down every batch fails, and the log must not fill up with them. The line after a quiet
 * interval says how many were left out.
 */
import { DiagLogLevel, diag } from '@opentelemetry/api';
import type { Logger } from '../log.js';

/** A stack or an error body can be long: the log line keeps the start. */
const maxDetail = 2000;

export function forwardOtelDiagnostics(log: Logger, intervalMs = 60_000): void {
  let lastAt = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  const forward =
    (level: 'warn' | 'error', msg: string) =>
    (message: string, ...args: unknown[]): void => {
      const now = performance.now();
      if (now - lastAt < intervalMs) {
        suppressed++;
        return;
      }
      lastAt = now;
      const detail = [message, ...args.map((a) => (typeof a === 'string' ? a : safeJson(a)))].join(' ');
      log[level](msg, { detail: detail.length > maxDetail ? `${detail.slice(0, maxDetail)}…` : detail, ...(suppressed > 0 ? { suppressed } : {}) });
      suppressed = 0;
    };
  const ignore = (): void => {};
  diag.setLogger(
    {
      error: forward('error', 'tracing: OpenTelemetry reported an error (spans may be lost)'),
      warn: forward('warn', 'tracing: OpenTelemetry reported a problem'),
      info: ignore,
      debug: ignore,
      verbose: ignore,
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
