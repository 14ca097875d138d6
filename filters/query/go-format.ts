/**
 * The format argument of queryToHeader, which Skipper passes to Go's fmt.Sprintf with the query
 * value as the only operand. Compiled once into parts; applying it is a concatenation.
 *
 * What Go does with one string operand, and skiff the same:
 *   %s, %v   the value            %x, %X   its bytes in hex          %T   `string`
 *   %%       a `%`                 other verbs  `%!d(string=VALUE)`
 *   a verb after the operand is used   `%!s(MISSING)`
 *   no verb using the operand          `%!(EXTRA string=VALUE)` at the end
 *   a `%` at the very end              `%!(NOVERB)`
 * Flags, widths, precisions, argument indexes and %q are refused at build time: they are of no
 * use with one string and would need much more of fmt to reproduce.
 *
 * Text is handled as bytes: the format's own text becomes its UTF-8 bytes, the value is already a
 * byte string (see go-query.ts), so the result is the header value Go would send.
 */
import { utf8Bytes } from '../header/header-args.js';

type Part = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'value' | 'hex' | 'HEX' } | { readonly kind: 'bad'; readonly verb: string };

export interface GoFormat {
  /** The format's text without the value: what build-time checks look at. */
  readonly literalText: string;
  apply(value: string): string;
}

const unsupported = new Set(['#', '0', '+', '-', ' ', '[', '*', '.', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

/** Throws Error for what skiff does not reproduce. */
export function compileGoFormat(format: string): GoFormat {
  const parts: Part[] = [];
  let text = '';
  let used = false;
  const flush = (): void => {
    if (text !== '') parts.push({ kind: 'text', text: utf8Bytes(text) });
    text = '';
  };
  let i = 0;
  while (i < format.length) {
    const open = format.indexOf('%', i);
    if (open === -1) {
      text += format.slice(i);
      break;
    }
    text += format.slice(i, open);
    if (open + 1 >= format.length) {
      text += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(open + 1)!);
    i = open + 1 + verb.length;
    if (unsupported.has(verb)) {
      throw new Error(`the format ${JSON.stringify(format)} uses a flag, width, precision or index, which skiff does not support`);
    }
    if (verb === '%') {
      text += '%';
      continue;
    }
    if (used) {
      text += `%!${verb}(MISSING)`;
      continue;
    }
    used = true;
    switch (verb) {
      case 's':
      case 'v':
        flush();
        parts.push({ kind: 'value' });
        break;
      case 'x':
        flush();
        parts.push({ kind: 'hex' });
        break;
      case 'X':
        flush();
        parts.push({ kind: 'HEX' });
        break;
      case 'T':
        text += 'string';
        break;
      case 'q':
        throw new Error(`the format ${JSON.stringify(format)} uses %q, which skiff does not support`);
      default:
        flush();
        parts.push({ kind: 'bad', verb: utf8Bytes(verb) });
    }
  }
  if (!used) {
    text += '%!(EXTRA string=';
    flush();
    parts.push({ kind: 'value' });
    text = ')';
  }
  flush();
  return new CompiledFormat(parts);
}

function hex(value: string, digits: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const b = value.charCodeAt(i) & 0xff;
    out += digits[b >> 4]! + digits[b & 15]!;
  }
  return out;
}

class CompiledFormat implements GoFormat {
  readonly literalText: string;
  private readonly plain: boolean;

  constructor(private readonly parts: readonly Part[]) {
    this.literalText = parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
    this.plain = parts.length === 1 && parts[0]!.kind === 'value';
  }

  // hot path: `%s` alone returns the value; otherwise one concatenation per part.
  apply(value: string): string {
    if (this.plain) return value;
    let out = '';
    for (const part of this.parts) {
      switch (part.kind) {
        case 'text':
          out += part.text;
          break;
        case 'value':
          out += value;
          break;
        case 'hex':
          out += hex(value, '0123456789abcdef');
          break;
        case 'HEX':
          out += hex(value, '0123456789ABCDEF');
          break;
        case 'bad':
          out += `%!${part.verb}(string=${value})`;
          break;
      }
    }
    return out;
  }
}
