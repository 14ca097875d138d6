/**
 * A prom-client Histogram whose label-bound series record into preallocated arrays: an
 * observation is a bucket search and three additions, with no label object, no hash string and
 * no number-to-string key per call (prom-client's own observe does all three). It renders
 * through the same get()/getForPromString() shapes as prom-client's Histogram, so registries,
 * the text format and AggregatorRegistry treat it as any other histogram.
 */
import { Histogram, type Registry } from 'prom-client';

/** prom-client's (and Prometheus') default duration buckets, in seconds. */
export const defaultBuckets: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class HistogramSeries {
  /** Non-cumulative counts; the last slot is above every bound (+Inf). */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Readonly<Record<string, string>>,
    private readonly bounds: Float64Array,
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    this.observeAt(bucketSlot(this.bounds, value), value);
  }

  /**
   * Observes `value` whose slot is already known (bucketSlot over the same bounds): several
   * series with equal bounds that take the same value search the bounds once.
   */
  observeAt(slot: number, value: number): void {
    this.counts[slot]!++;
    this.sum += value;
    this.count++;
  }
}

/**
 * The slot of `value`: the first bound it does not exceed, `bounds.length` (+Inf) above all.
 * hot path: a linear search over a dozen bounds beats a binary search at this size.
 */
export function bucketSlot(bounds: Float64Array, value: number): number {
  let i = 0;
  while (i < bounds.length && value > bounds[i]!) i++;
  return i;
}

export interface FastHistogramConfig<T extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly T[];
  readonly buckets?: readonly number[];
  readonly registers: Registry[];
}

interface Rendered {
  labels: Record<string, string | number>;
  sharedLabels: Record<string, string>;
  value: number;
  metricName: string;
  /** As prom-client: null on buckets, undefined on _sum and _count (no exemplars here). */
  exemplar: null | undefined;
}

export class FastHistogram<T extends string = string> extends Histogram<T> {
  private readonly fastName: string;
  private readonly fastHelp: string;
  private readonly fastBounds: Float64Array;
  private readonly fastNames: readonly T[];
  private readonly fastSeries = new Map<string, HistogramSeries>();

  constructor(config: FastHistogramConfig<T>) {
    const buckets = [...(config.buckets ?? defaultBuckets)];
    super({ name: config.name, help: config.help, labelNames: [...(config.labelNames ?? [])], buckets, registers: config.registers });
    this.fastName = config.name;
    this.fastHelp = config.help;
    this.fastBounds = Float64Array.from(buckets);
    this.fastNames = config.labelNames ?? [];
    if (this.fastNames.length === 0) this.series();
  }

  /** The bucket bounds, for bucketSlot. */
  get bounds(): Float64Array {
    return this.fastBounds;
  }

  /** The series for these label values, in labelNames order; created on first use. */
  series(...values: string[]): HistogramSeries {
    const key = values.join('\u0000');
    let s = this.fastSeries.get(key);
    if (s === undefined) {
      if (values.length !== this.fastNames.length) throw new Error(`${this.fastName}: expected ${this.fastNames.length} label values, got ${values.length}`);
      const labels: Record<string, string> = {};
      this.fastNames.forEach((n, i) => (labels[n] = values[i]!));
      s = new HistogramSeries(labels, this.fastBounds);
      this.fastSeries.set(key, s);
    }
    return s;
  }

  override reset(): void {
    // The base constructor resets too, before this class's fields exist.
    if (this.fastSeries === undefined) return;
    this.fastSeries.clear();
    if (this.fastNames.length === 0) this.series();
  }

  /** The shape the registry renders: `le` per value, the series labels shared. */
  async getForPromString(): Promise<{ name: string; help: string; type: 'histogram'; values: Rendered[]; aggregator: 'sum' }> {
    const values: Rendered[] = [];
    const bucketName = `${this.fastName}_bucket`;
    const bounds = this.fastBounds;
    for (const s of this.fastSeries.values()) {
      let acc = 0;
      for (let i = 0; i < bounds.length; i++) {
        acc += s.counts[i]!;
        values.push({ labels: { le: bounds[i]! }, sharedLabels: s.labels, value: acc, metricName: bucketName, exemplar: null });
      }
      values.push({ labels: { le: '+Inf' }, sharedLabels: s.labels, value: s.count, metricName: bucketName, exemplar: null });
      values.push({ labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${this.fastName}_sum`, exemplar: undefined });
      values.push({ labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${this.fastName}_count`, exemplar: undefined });
    }
    return { name: this.fastName, help: this.fastHelp, type: 'histogram', values, aggregator: 'sum' };
  }

  /** As prom-client's Histogram.get(): each value carries all its labels. */
  override async get(): Promise<Awaited<ReturnType<Histogram<T>['get']>>> {
    const data = await this.getForPromString();
    const values = data.values.map((v) => ({ labels: { ...v.sharedLabels, ...v.labels }, value: v.value, metricName: v.metricName, exemplar: v.exemplar }));
    return { ...data, values } as unknown as Awaited<ReturnType<Histogram<T>['get']>>;
  }
}
