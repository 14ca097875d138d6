/**
 * Go duration strings (`time.ParseDuration`) as eskip arguments use them: "300ms", "1.5h",
 * "1m30s", "-2s", "0". Parsed into milliseconds, by hand: no regexp, exact unit table.
 */

const unitMs: ReadonlyMap<string, number> = new Map([
  ['ns', 1e-6],
  ['us', 1e-3],
  ['\u00b5s', 1e-3], // micro sign
  ['\u03bcs', 1e-3], // Greek small letter mu
  ['ms', 1],
  ['s', 1000],
  ['m', 60_000],
  ['h', 3_600_000],
]);

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Milliseconds, or undefined when the text is not a Go duration. */
export function parseGoDuration(text: string): number | undefined {
  let i = 0;
  let sign = 1;
  if (text[0] === '-' || text[0] === '+') {
    if (text[0] === '-') sign = -1;
    i = 1;
  }
  if (text.slice(i) === '0') return 0;
  if (i >= text.length) return undefined;
  let total = 0;
  while (i < text.length) {
    const start = i;
    while (i < text.length && isDigit(text.charCodeAt(i))) i++;
    const intDigits = i - start;
    let fracDigits = 0;
    if (text[i] === '.') {
      i++;
      const fracStart = i;
      while (i < text.length && isDigit(text.charCodeAt(i))) i++;
      fracDigits = i - fracStart;
    }
    if (intDigits === 0 && fracDigits === 0) return undefined;
    const amount = Number(text.slice(start, i));
    const unitStart = i;
    while (i < text.length && text[i] !== '.' && !isDigit(text.charCodeAt(i))) i++;
    const factor = unitMs.get(text.slice(unitStart, i));
    if (factor === undefined) return undefined;
    total += amount * factor;
  }
  return sign * total;
}
