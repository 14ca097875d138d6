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
 *
 * Which engine answers is decided on the first test, from the source parsed then: most route
 * regexps of a big table are never tested (the host index answers for Ingress Host regexps), and
 * parsing 10,000 of them up front cost a first table build 230 ms.
 */
export class LinearRegExp extends RegExp {
  private matcher: LazyDfa | RegExp | null;

  /** `dfa`: the caller has already parsed the source and knows it needs the DFA. */
  constructor(source: string, flags: string, dfa = false) {
    super(source, flags);
    this.matcher = dfa ? new LazyDfa(compileProgram(parseRegexp(source, flags))) : null;
  }

  /** Derived objects (split, matchAll) are plain RegExps: they have no DFA to carry. */
  static override get [Symbol.species](): RegExpConstructor {
    return RegExp;
  }

  /** hot path */
  override test(text: string): boolean {
    return (this.matcher ??= this.decide()).test(typeof text === 'string' ? text : String(text));
  }

  /** Which engine answers, deciding now if no test has yet. */
  get engine(): 'v8' | 'dfa' {
    return (this.matcher ??= this.decide()) instanceof LazyDfa ? 'dfa' : 'v8';
  }

  private decide(): LazyDfa | RegExp {
    // this.source is the escaped form (a/b → a\/b): it reads the same
    try {
      const tree = parseRegexp(this.source, this.flags);
      return paths(tree) <= MAX_PATHS ? new RegExp(this.source, this.flags) : new LazyDfa(compileProgram(tree));
    } catch {
      // unsupported syntax, or a program past the cap (linearRegexp checks long sources and
      // counted repetitions when compiling, so neither comes from a route): V8's engine
      return new RegExp(this.source, this.flags);
    }
  }
}

/** Alternative paths through the expression at one position, beyond which V8 is not trusted. */
const MAX_PATHS = 16;

/**
 * Sources longer than this, or with a counted repetition, are parsed and size-checked when
 * compiled; shorter ones without `{` compile to fewer instructions than the cap.
 */
const EAGER_LENGTH = 5000;

/**
 * `new RegExp(source, flags)`, made linear-time where it could backtrack. Throws the RegExp's
 * SyntaxError for bad syntax and ProgramTooLarge for an expression too big to run linearly.
 * Expressions the DFA cannot read (a backreference a plugin's source still holds) stay on V8's
 * engine; the translation of eskip sources refuses those before they get here.
 */
export function linearRegexp(source: string, flags: string): RegExp {
  const plain = new RegExp(source, flags);
  // no quantifier and no alternation: V8 tries one way per position
  if (!/[*+?{|]/.test(source)) return plain;
  if (!source.includes('{') && source.length <= EAGER_LENGTH) return new LinearRegExp(source, flags);
  let tree: RegexpNode;
  try {
    tree = parseRegexp(source, flags);
  } catch (e) {
    if (e instanceof UnsupportedSyntax) return plain;
    throw e;
  }
  checkSize(tree); // for either engine: RE2 refuses these too
  return paths(tree) <= MAX_PATHS ? plain : new LinearRegExp(source, flags, true);
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
