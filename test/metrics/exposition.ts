/** A small parser of the Prometheus text format for tests: samples with their labels. */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parseExposition(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const brace = line.indexOf('{');
    const space = line.lastIndexOf(' ');
    const name = brace === -1 || brace > space ? line.slice(0, line.indexOf(' ')) : line.slice(0, brace);
    const labels: Record<string, string> = {};
    if (brace !== -1 && brace < space) {
      const body = line.slice(brace + 1, line.lastIndexOf('}'));
      const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
      for (const m of body.matchAll(re)) labels[m[1]!] = m[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    const raw = line.slice(space + 1);
    out.push({ name, labels, value: raw === '+Inf' ? Infinity : Number(raw) });
  }
  return out;
}

/** The value of the sample whose labels are exactly `labels`; undefined when there is none. */
export function sampleValue(samples: readonly Sample[], name: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries(labels);
  for (const s of samples) {
    if (s.name !== name) continue;
    const keys = Object.keys(s.labels);
    if (keys.length !== want.length) continue;
    if (want.every(([k, v]) => s.labels[k] === v)) return s.value;
  }
  return undefined;
}
