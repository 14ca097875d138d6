/**
 * Route regexps are run on what clients send (paths, Host, headers, cookies, query values), so
 * the time a match takes must not depend on how cleverly the text is shaped. V8's regexps
 * backtrack: `[a-z]+$` takes quadratic time on a long run of letters (77 ms for 16 KB),
 * `(a+){1,32}` exponential time, and V8's own linear-time fallback engine declines counted
 * repetitions past 16 copies and does not stop the quadratic cases. So an expression that can
 * backtrack at all is answered by the lazy DFA of ./dfa.ts; one that cannot (no quantifier but
 * exact counts of single characters, few alternatives) keeps V8's faster engine.
 */
import { LazyDfa } from './dfa.js';
import { checkSize, compileProgram } from './program.js';
import { UnsupportedSyntax, parseRegexp, type RegexpNode } from './syntax.js';

export { ProgramTooLarge } from './program.js';

/**
 * A RegExp whose `test` runs in linear time. Everything else (exec, replace, match) is V8's, for
 * plugin code that asks for more than yes or no; the predicates only call `test`.
 */
export class LinearRegExp extends RegExp {
  private dfa: LazyDfa | null = null;

  /** Derived objects (split, matchAll) are plain RegExps: they have no DFA to carry. */
  static override get [Symbol.species](): RegExpConstructor {
    return RegExp;
  }

  /** hot path */
  override test(text: string): boolean {
    // Many expressions are never tested (Host regexps the host index answers): the automaton
    // is made on first use, from the source parsed again, so that unused ones hold no tree.
    const dfa = (this.dfa ??= new LazyDfa(compileProgram(parseRegexp(this.source, this.flags))));
    return dfa.test(typeof text === 'string' ? text : String(text));
  }
}

/** Alternative paths through the expression at one position, beyond which V8 is not trusted. */
const MAX_PATHS = 16;

/**
 * `new RegExp(source, flags)`, made linear-time where it could backtrack. Throws the RegExp's
 * SyntaxError for bad syntax and ProgramTooLarge for an expression too big to run linearly.
 * Expressions the DFA cannot read (a backreference a plugin's source still holds) come back as
 * plain RegExps; the translation of eskip sources refuses those before they get here.
 */
export function linearRegexp(source: string, flags: string): RegExp {
  const plain = new RegExp(source, flags);
  let tree: RegexpNode;
  try {
    tree = parseRegexp(source, flags);
  } catch (e) {
    if (e instanceof UnsupportedSyntax) return plain;
    throw e;
  }
  checkSize(tree); // for either engine: RE2 refuses these too
  if (paths(tree) <= MAX_PATHS) return plain;
  return new LinearRegExp(source, flags);
}

/** How many ways a backtracking engine may try at one position; Infinity once a quantifier varies. */
function paths(node: RegexpNode): number {
  switch (node.type) {
    case 'concat':
      return node.items.reduce((n, item) => n * paths(item), 1);
    case 'alternate':
      return node.items.reduce((n, item) => n + paths(item), 0);
    case 'repeat':
      return node.min === node.max && node.item.type === 'set' ? 1 : Infinity;
    default:
      return 1;
  }
}
