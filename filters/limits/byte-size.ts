/**
 * Byte sizes as filter arguments: a number of bytes, or text like "512", "64KB", "1MB", "1.5MiB",
 * "2GB". KB/MB/GB are binary multiples (1 MB = 1,048,576 bytes), as nginx and most proxies
 * read them; KiB/MiB/GiB say the same explicitly.
 */

const units: ReadonlyMap<string, number> = new Map([
  ['', 1],
  ['b', 1],
  ['k', 1024],
  ['kb', 1024],
  ['kib', 1024],
  ['m', 1024 ** 2],
  ['mb', 1024 ** 2],
  ['mib', 1024 ** 2],
  ['g', 1024 ** 3],
  ['gb', 1024 ** 3],
  ['gib', 1024 ** 3],
]);

const pattern = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/;

/** Whole bytes, or undefined when the value is not a size. */
export function parseByteSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
  const m = pattern.exec(value);
  if (m === null) return undefined;
  const factor = units.get(m[2]!.toLowerCase());
  if (factor === undefined) return undefined;
  const bytes = Math.floor(Number(m[1]) * factor);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}
