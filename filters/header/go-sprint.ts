/**
 * A state-bag value as text, the way Skipper's context header filters write it: Go's
 * fmt.Sprint. Strings are used as they are; booleans are `true`/`false`; integers (JS numbers
 * that are safe integers, bigints) are written as Go writes an int, other numbers as fmt's `%v`
 * of a float64 (shortest digits, exponent form below 1e-4 and from 1e6 on: `1.5e+06`); null and
 * undefined are Go's `<nil>`; arrays are `[a b]`, objects and Maps `map[k:v]` with sorted keys,
 * as Go prints slices and maps. A structure that contains itself is written `<cycle>` where it
 * repeats.
 */

export function goSprint(value: unknown): string {
  return typeof value === 'string' ? value : formatValue(value, []);
}

function formatValue(value: unknown, path: object[]): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return formatNumber(value);
    case 'bigint':
      return value.toString();
    case 'undefined':
      return '<nil>';
    case 'object':
      if (value === null) return '<nil>';
      return formatObject(value, path);
    default:
      // functions and symbols have no Go counterpart
      return String(value);
  }
}

function formatObject(value: object, path: object[]): string {
  if (path.includes(value)) return '<cycle>';
  path.push(value);
  try {
    if (Array.isArray(value)) return `[${value.map((v) => formatValue(v, path)).join(' ')}]`;
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      return `[${Array.from(value as unknown as ArrayLike<number | bigint>, (v) => String(v)).join(' ')}]`;
    }
    const entries: [string, string][] =
      value instanceof Map
        ? [...value].map(([k, v]) => [formatValue(k, path), formatValue(v, path)])
        : Object.keys(value).map((k) => [k, formatValue((value as Record<string, unknown>)[k], path)]);
    entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return `map[${entries.map(([k, v]) => `${k}:${v}`).join(' ')}]`;
  } finally {
    path.pop();
  }
}

/** An integer as a Go int; anything else as fmt's `%v` of a float64 (strconv 'g', shortest). */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  if (Number.isSafeInteger(n)) return String(n === 0 ? 0 : n);
  const negative = n < 0;
  // toExponential() without an argument gives the shortest digits that read back as n.
  const [mantissa, expText] = Math.abs(n).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  let out: string;
  if (exp < -4 || exp >= 6) {
    const abs = Math.abs(exp);
    out = `${digits[0]}${digits.length > 1 ? '.' + digits.slice(1) : ''}e${exp < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
  } else {
    const point = exp + 1;
    if (point <= 0) out = '0.' + '0'.repeat(-point) + digits;
    else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
    else out = digits.slice(0, point) + '.' + digits.slice(point);
  }
  return negative ? '-' + out : out;
}
