/**
 * The metric names a PromQL expression reads, found without a full PromQL parser: identifiers
 * that stand where a series selector can (followed by `{`, `[`, or nothing of a call), less
 * functions, aggregation operators, keywords and label names (inside `{...}` and the label lists
 * of by, without, on, ignoring, group_left and group_right). Enough for the expressions of the
 * shipped rules and dashboard; test/deploy/promql.test.ts pins what it handles.
 */

/** Words that are never a metric name where they stand without a call. */
const KEYWORDS = new Set([
  'and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'atan2',
  'sum', 'min', 'max', 'avg', 'group', 'stddev', 'stdvar', 'count', 'count_values', 'bottomk', 'topk', 'quantile',
  'inf', 'nan',
]);

export function metricNames(expr: string): string[] {
  let text = expr
    // string literals (label values, count_values' label)
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    // label matchers and range or subquery durations
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\[[^\]]*\]/g, '[]')
    // label lists of grouping and vector matching
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '$1');
  // numbers, durations after offset and exponents go with them
  text = text.replace(/\b\d[\w.]*/g, '0');
  const names = new Set<string>();
  for (const m of text.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const word = m[0];
    const after = text.slice(m.index + word.length).trimStart();
    if (after.startsWith('(')) continue; // a function call, or an aggregation with its argument
    if (KEYWORDS.has(word.toLowerCase())) continue;
    names.add(word);
  }
  return [...names].sort();
}

/** `x_bucket`, `x_sum`, `x_count` → `x` when the scrape has `x` as a histogram or summary. */
export function familyOf(name: string, types: ReadonlyMap<string, string>): string {
  const m = /^(.*)_(bucket|sum|count)$/.exec(name);
  if (m !== null && (types.get(m[1]!) === 'histogram' || types.get(m[1]!) === 'summary')) return m[1]!;
  return name;
}

export interface Scrape {
  /** Family name → type, from the `# TYPE` lines. */
  readonly types: ReadonlyMap<string, string>;
  /** Names of the sample lines (with their _bucket/_sum/_count suffixes). */
  readonly samples: ReadonlySet<string>;
}

export function parseScrape(text: string): Scrape {
  const types = new Map<string, string>();
  const samples = new Set<string>();
  for (const line of text.split('\n')) {
    const t = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (t !== null) types.set(t[1]!, t[2]!);
    else if (line !== '' && !line.startsWith('#')) samples.add(/^[^{ ]+/.exec(line)![0]);
  }
  return { types, samples };
}

/**
 * Whether the scrape has samples for the name as an expression uses it: a sample name, or a
 * histogram's family name (its _bucket, _sum and _count samples).
 */
export function scraped(name: string, scrape: Scrape): boolean {
  if (scrape.samples.has(name)) return true;
  return [...scrape.samples].some((s) => s !== name && familyOf(s, scrape.types) === name);
}
