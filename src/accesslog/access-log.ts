/**
 * The access log: one JSON line per request (or per sampled request), written in batches to a
 * stream or file. Off unless enabled. Routes may mute some or all of their lines
 * (disableAccessLog, enableAccessLog; see log-control.ts). The flow id is the one the flowId filter left in the state
 * bag, or else the X-Flow-Id the client sent.
 */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { ExchangeRecord } from '../proxy/observer.js';
import type { Logger } from '../log.js';
import { ErrorCode, SkiffError } from '../errors.js';
import { BatchWriter, DEFAULT_BATCH_BYTES, DEFAULT_FLUSH_INTERVAL_MS } from './batch-writer.js';
import { PendingLines } from './pending-lines.js';
import { formatAccessLine } from './line.js';
import { encodePendingLine, maxLineBytes } from './line-encoder.js';
import { FLOW_ID_HEADER, FLOW_ID_STATE_KEY } from '../../filters/tracing/flow-id.js';
import { accessLogAllowed } from './log-control.js';

export interface AccessLogOptions {
  readonly enabled?: boolean;
  /** Share of requests logged, 0..1; default 1. */
  readonly sampleRate?: number;
  /**
   * `stdout` (the default), `stderr`, a file path (appended to) or a stream. `stdout` and `stderr`
   * are written through the libuv pool, not through process.stdout: on Linux, process.stdout on
   * a pipe (a container's log) writes synchronously and would stall every request whenever the
   * log reader falls behind.
   */
  readonly destination?: Writable | string;
  /** Bytes per write when lines come fast; default 64 KiB. */
  readonly batchBytes?: number;
  /** Longest a line waits before it is written; default 20 ms. */
  readonly flushIntervalMs?: number;
  /** Bytes kept while the destination is backed up; more lines are dropped. Default 4 MiB. */
  readonly maxQueuedBytes?: number;
  /** The draw for sampling; Math.random unless given. */
  readonly random?: () => number;
}

/**
 * Lines set aside before they are encoded at the latest: at 25,000 requests a second, a 20 ms
 * batch holds 500.
 */
const PENDING_LINES = 1024;

function encodeLater(log: AccessLog): void {
  log.encodeScheduled();
}

/** The trace id for a record: given by the tracing side, which owns the per-request spans. */
export type TraceIdSource = (record: ExchangeRecord) => string;

export class AccessLog {
  readonly writer: BatchWriter;
  private readonly sampleRate: number;
  private readonly random: () => number;
  private readonly ownsStream: boolean;
  private readonly stream: Writable;
  private readonly pending = new PendingLines(PENDING_LINES);
  private readonly interval: number;
  private scheduled = false;

  constructor(
    options: AccessLogOptions,
    private readonly traceId: TraceIdSource,
    log: Logger,
  ) {
    const rate = options.sampleRate ?? 1;
    if (!(rate >= 0 && rate <= 1)) throw new SkiffError(ErrorCode.InvalidOption, `access log sampleRate must be within 0..1, got ${rate}`);
    this.sampleRate = rate;
    this.interval = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
    this.random = options.random ?? Math.random;
    const dest = options.destination ?? 'stdout';
    this.ownsStream = typeof dest === 'string';
    this.stream = typeof dest === 'string' ? openDestination(dest, 4 * (options.batchBytes ?? DEFAULT_BATCH_BYTES)) : dest;
    this.writer = new BatchWriter(this.stream, {
      ...(options.batchBytes === undefined ? {} : { batchBytes: options.batchBytes }),
      ...(options.flushIntervalMs === undefined ? {} : { flushIntervalMs: options.flushIntervalMs }),
      ...(options.maxQueuedBytes === undefined ? {} : { maxQueuedBytes: options.maxQueuedBytes }),
      onError: (err) => log.error('access log destination failed; lines are dropped from now on', { error: err.message }),
    });
  }

  /**
   * hot path: the route's say (disableAccessLog/enableAccessLog, only when a filter used the
   * state bag), the sampling draw, then the line's values set aside; they are encoded with the
   * others of the batch (encodePending). A line too big for a chunk goes out at once, in order.
   */
  finished(record: ExchangeRecord): void {
    if (!accessLogAllowed(record.filterState, record.status)) return;
    if (this.sampleRate < 1 && this.random() >= this.sampleRate) return;
    const flowId = flowIdOf(record);
    const traceId = this.traceId(record);
    const now = Date.now();
    const max = maxLineBytes(record, flowId, traceId);
    if (max > this.writer.chunkBytes) {
      this.encodePending();
      this.writer.write(formatAccessLine(record, now, flowId, traceId));
      return;
    }
    const lines = this.pending;
    lines.push(record, now, flowId, traceId, max);
    if (lines.count === lines.capacity) this.encodePending();
    else if (!this.scheduled) {
      this.scheduled = true;
      if (this.interval === 0) setImmediate(encodeLater, this);
      else setTimeout(encodeLater, this.interval, this).unref();
    }
  }

  /** Encodes the lines set aside into the writer's chunks, in order. */
  encodePending(): void {
    const lines = this.pending;
    const w = this.writer;
    for (let i = 0; i < lines.count; i++) {
      const at = w.reserve(lines.maxBytes[i]!);
      if (at >= 0) w.commit(encodePendingLine(w.buffer, at, lines, i));
    }
    lines.clear();
  }

  /** The batch timer: the lines encoded, then written at once rather than an interval later. */
  encodeScheduled(): void {
    this.scheduled = false;
    this.encodePending();
    this.writer.flush();
  }

  async close(): Promise<void> {
    this.encodePending();
    await this.writer.close();
    if (this.ownsStream) await new Promise<void>((r) => this.stream.end(r));
  }
}

/**
 * The stream's high-water mark is a few chunks, not fs streams' 16 KiB: below a chunk, every
 * chunk write would report "wait for drain", and the writer would hold lines back from a
 * destination that keeps up perfectly well.
 */
function openDestination(dest: string, highWaterMark: number): Writable {
  if (dest === 'stdout' || dest === 'stderr') {
    // The descriptor stays open when the stream ends: it belongs to the process.
    return createWriteStream('', { fd: dest === 'stdout' ? 1 : 2, autoClose: false, highWaterMark });
  }
  return createWriteStream(dest, { flags: 'a', highWaterMark });
}

/** The flow id the flowId filter set or kept, else the one the client sent. */
function flowIdOf(record: ExchangeRecord): string {
  const kept = record.filterState?.get(FLOW_ID_STATE_KEY);
  if (typeof kept === 'string') return kept;
  const received = record.req.headers[FLOW_ID_HEADER];
  return typeof received === 'string' ? received : '';
}
