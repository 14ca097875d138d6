/**
 * `${...}` templates for filter arguments (header values, setPath, ...). A template is parsed
 * once when the route is built into literal parts and placeholder parts; expanding it walks that
 * list without any regexp. A value that is missing or empty leaves the placeholder unresolved,
 * as Skipper does.
 */
import type { FilterContext } from '../spec.js';
import { PartKind, parsePlaceholder, resolvePlaceholder } from './placeholder.js';

export interface Template {
  /** The template text as written. */
  readonly text: string;
  /** True when the text has no placeholder: expanding gives `text` at no cost. */
  readonly constant: boolean;
  /** The expanded text, or null when a placeholder cannot be resolved. */
  expand(ctx: FilterContext): string | null;
  /** The expanded text, with unresolved placeholders replaced by ''. */
  expandOrEmpty(ctx: FilterContext): string;
}

/**
 * Parses a template. `${}` and an unclosed `${` stay literal text, as does any `${` whose name
 * holds `{`. An unknown `request.`/`response.` placeholder throws SkiffError InvalidArgs.
 */
export function compileTemplate(text: string): Template {
  const kinds: PartKind[] = [];
  const keys: string[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('${', i);
    if (open === -1) break;
    const close = text.indexOf('}', open + 2);
    const name = close === -1 ? '' : text.slice(open + 2, close);
    if (name === '' || name.includes('{')) {
      literal += text.slice(i, open + 2);
      i = open + 2;
      continue;
    }
    literal += text.slice(i, open);
    if (literal !== '') {
      kinds.push(PartKind.Literal);
      keys.push(literal);
      literal = '';
    }
    const placeholder = parsePlaceholder(name, text);
    kinds.push(placeholder.kind);
    keys.push(placeholder.key);
    i = close + 1;
  }
  if (kinds.length === 0) return new ConstantTemplate(text);
  literal += text.slice(i);
  if (literal !== '') {
    kinds.push(PartKind.Literal);
    keys.push(literal);
  }
  return new PartsTemplate(text, kinds, keys);
}

class ConstantTemplate implements Template {
  readonly constant = true;

  constructor(readonly text: string) {}

  expand(): string {
    return this.text;
  }

  expandOrEmpty(): string {
    return this.text;
  }
}

class PartsTemplate implements Template {
  readonly constant = false;

  constructor(
    readonly text: string,
    private readonly kinds: readonly PartKind[],
    private readonly keys: readonly string[],
  ) {}

  // hot path: one string concatenation per part, no regexp, no closure.
  expand(ctx: FilterContext): string | null {
    let out = '';
    for (let i = 0; i < this.kinds.length; i++) {
      const kind = this.kinds[i]!;
      const key = this.keys[i]!;
      if (kind === PartKind.Literal) {
        out += key;
        continue;
      }
      const value = resolvePlaceholder(kind, key, ctx);
      if (value === undefined || value === '') return null;
      out += value;
    }
    return out;
  }

  // hot path: as expand(), but a missing value contributes nothing.
  expandOrEmpty(ctx: FilterContext): string {
    let out = '';
    for (let i = 0; i < this.kinds.length; i++) {
      const kind = this.kinds[i]!;
      const key = this.keys[i]!;
      if (kind === PartKind.Literal) out += key;
      else out += resolvePlaceholder(kind, key, ctx) ?? '';
    }
    return out;
  }
}
