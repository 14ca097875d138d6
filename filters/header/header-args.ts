/**
 * Small pieces shared by the header filters that copy, rewrite or filter existing values: a
 * header-name argument at any position, the first value of a field (Go's Header.Get), and text
 * turned into the byte string a header value is (one character per byte, as Node reads and
 * writes header values in latin1).
 */
import { invalidArgs } from '../../src/errors.js';
import type { Arg } from '../../src/spec.js';
import { stringArg } from '../../src/args.js';
import { isValidHeaderName } from './header-syntax.js';

/** The argument at `index` as a valid header name, lower-cased. Build time only. */
export function headerNameArg(filter: string, args: readonly Arg[], index: number, what = 'the header name'): string {
  const name = stringArg(filter, args, index, what);
  if (!isValidHeaderName(name)) throw invalidArgs(filter, `${JSON.stringify(name)} is not a valid header name`);
  return name.toLowerCase();
}

/**
 * The first value of a field, undefined when absent. Header records are plain objects: anything
 * that is not a string or an array (an inherited `constructor`, say) counts as absent.
 */
export function firstValue(v: string | string[] | undefined): string | undefined {
  if (typeof v === 'string') return v;
  return Array.isArray(v) ? v[0] : undefined;
}

/**
 * Text as the bytes Go would send for it: its UTF-8 encoding, one character per byte.
 * hot path: ASCII text (the common case) is returned as it is.
 */
export function utf8Bytes(text: string): string {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) >= 0x80) return Buffer.from(text, 'utf8').toString('latin1');
  }
  return text;
}
