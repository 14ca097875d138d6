/**
 * Small allocation-free string comparisons used by predicates on the request path: ASCII case
 * folding and the elements of comma-separated header values.
 */

/** True when `text` equals `lower` (already lower case) ignoring ASCII case. */
export function equalsLowerCase(text: string, lower: string): boolean {
  if (text.length !== lower.length) return false;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

/**
 * True when one comma-separated element of `list` (spaces around it ignored) equals `value`.
 * Node joins repeated header lines with ", ", so this is how "one of the values" is seen.
 */
export function listHasElement(list: string, value: string): boolean {
  let start = 0;
  while (start <= list.length) {
    let end = list.indexOf(',', start);
    if (end === -1) end = list.length;
    let s = start;
    let e = end;
    while (s < e && isSpace(list.charCodeAt(s))) s++;
    while (e > s && isSpace(list.charCodeAt(e - 1))) e--;
    if (e - s === value.length && list.startsWith(value, s)) return true;
    start = end + 1;
  }
  return false;
}
