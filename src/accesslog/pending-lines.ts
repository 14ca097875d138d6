/**
 * Access log lines not yet encoded: the values of each line, copied out of its exchange record
 * when the request finishes, encoded together when the batch goes to the writer. The request then
 * only stores a dozen references and numbers, and the encoder runs over hundreds of lines in one
 * loop, its code and branch history warm, instead of once per request between proxy work that
 * evicts it. Fixed capacity, preallocated columns: nothing is allocated per line.
 *
 * The strings are held only until the batch is encoded (the flush interval, 20 ms by default),
 * which is far shorter than the time between two young-generation collections under load.
 */
import type { ExchangeRecord } from '../proxy/observer.js';
import { arrivalMs, durationMicros, durationNsOf } from './time.js';

export class PendingLines {
  count = 0;
  readonly clientIp: string[];
  readonly method: string[];
  readonly host: string[];
  readonly path: string[];
  readonly route: string[];
  readonly endpoint: string[];
  readonly flowId: string[];
  readonly traceId: string[];
  readonly failure: string[];
  /** Arrival, ms since the epoch. */
  readonly arrival: Float64Array;
  readonly durationUs: Float64Array;
  readonly status: Float64Array;
  readonly bytes: Float64Array;
  /** maxLineBytes of each line, as the caller worked it out to see whether the line fits a chunk. */
  readonly maxBytes: Float64Array;
  /** The string columns, for clear(). */
  private readonly texts: readonly string[][];

  constructor(readonly capacity: number) {
    // filled with strings, so that every column keeps one elements kind from the first line on
    const column = (): string[] => new Array<string>(capacity).fill('');
    this.clientIp = column();
    this.method = column();
    this.host = column();
    this.path = column();
    this.route = column();
    this.endpoint = column();
    this.flowId = column();
    this.traceId = column();
    this.failure = column();
    this.arrival = new Float64Array(capacity);
    this.durationUs = new Float64Array(capacity);
    this.status = new Float64Array(capacity);
    this.bytes = new Float64Array(capacity);
    this.maxBytes = new Float64Array(capacity);
    this.texts = [this.clientIp, this.method, this.host, this.path, this.route, this.endpoint, this.flowId, this.traceId, this.failure];
  }

  /** hot path: copies the line's values; the caller makes sure there is room (count < capacity). */
  push(record: ExchangeRecord, nowMs: number, flowId: string, traceId: string, maxBytes: number): void {
    const i = this.count++;
    const view = record.view;
    const endpoint = record.endpoint;
    const ns = durationNsOf(record.startNs, record.endNs);
    this.clientIp[i] = view.clientIp ?? '';
    this.method[i] = view.method;
    this.host[i] = view.host;
    this.path[i] = view.rawPath;
    this.route[i] = record.routeId;
    this.endpoint[i] = endpoint === null ? '' : endpoint.authority;
    this.flowId[i] = flowId;
    this.traceId[i] = traceId;
    this.failure[i] = record.failure;
    this.arrival[i] = arrivalMs(nowMs, ns);
    this.durationUs[i] = durationMicros(ns);
    this.status[i] = record.status;
    this.bytes[i] = record.bytes;
    this.maxBytes[i] = maxBytes;
  }

  /** Forgets the lines, letting their strings go. */
  clear(): void {
    const n = this.count;
    for (const column of this.texts) column.fill('', 0, n);
    this.count = 0;
  }
}
