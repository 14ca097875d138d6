/**
 * Answers "does the text hold a match" in time linear in the text, whatever the expression:
 * the automaton of src/predicates/linear/program.ts run as a DFA built lazily, one state per
 * set of automaton positions actually met, cached with its transitions. Each character costs a
 * table lookup once its transition is known and at most one pass over the program the first
 * time; the cache is bounded and started afresh when full, which keeps memory flat for texts
 * that keep meeting new states, at the price of recomputing them.
 */
import { Kind, Op, type Program, upperBound } from './program.js';

const UNKNOWN = -1;
const MATCHED = -2;
const DEAD = -3;

/**
 * Cache bounds per expression: transitions (states × classes) and automaton positions held by
 * the states, 256 KiB each. An attacker who makes a route's expression meet new states on every
 * request costs recomputation, not memory.
 */
const MAX_CELLS = 65_536;
const MAX_POSITIONS = 65_536;

/** New states one text may make before the rest of it is run without the cache. */
const MAX_MISSES = 256;

export class LazyDfa {
  private readonly p: Program;
  private readonly classCount: number;
  private readonly maxStates: number;
  private trans: Int32Array;
  private stateSets: Int32Array[] = [];
  private statePrev: number[] = [];
  private endAccepts: number[] = [];
  private positions = 0;
  private readonly index = new Map<string, number>();
  // scratch space of one step, sized to the program
  private readonly mark: Uint32Array;
  private generation = 0;
  private readonly stack: Int32Array;
  private readonly threads: Int32Array;
  private readonly nextSet: Int32Array;
  private readonly current: Int32Array;

  private readonly maxMisses: number;

  /**
   * `limits` lowers the cache bounds: tests use it to see the cache restart (`maxCells`) and
   * the run without cache (`maxMisses`).
   */
  constructor(program: Program, limits: { maxCells?: number; maxMisses?: number } = {}) {
    this.p = program;
    this.classCount = program.classCount;
    this.maxStates = Math.max(16, Math.floor((limits.maxCells ?? MAX_CELLS) / program.classCount));
    this.maxMisses = limits.maxMisses ?? MAX_MISSES;
    const size = program.op.length;
    this.mark = new Uint32Array(size);
    this.stack = new Int32Array(size + 1);
    this.threads = new Int32Array(size);
    this.nextSet = new Int32Array(size);
    this.current = new Int32Array(size);
    this.trans = new Int32Array(16 * program.classCount).fill(UNKNOWN);
    this.intern(new Int32Array(0), Kind.start);
  }

  /** hot path: one class lookup and one table read per character once the states are known. */
  test(text: string): boolean {
    const p = this.p;
    const ascii = p.asciiClass;
    const cc = this.classCount;
    let state = 0;
    let misses = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const cls = c < 128 ? ascii[c]! : upperBound(p.classStarts, c) - 1;
      let next = this.trans[state * cc + cls]!;
      if (next < 0) {
        if (next === UNKNOWN) {
          // A text that meets a new state at nearly every character gains nothing from the
          // cache: go on without it, one pass over the live positions per character.
          if (++misses > this.maxMisses) return this.simulate(text, i, state);
          next = this.step(state, cls);
        }
        if (next === MATCHED) return true;
        if (next === DEAD) return false;
      }
      state = next;
    }
    return this.acceptsAtEnd(state);
  }

  /** The automaton run directly from `state` at `from`, without building DFA states. */
  private simulate(text: string, from: number, state: number): boolean {
    const p = this.p;
    let current = this.current;
    let next = this.nextSet;
    const initial = this.stateSets[state]!;
    current.set(initial);
    let size = initial.length;
    let prevKind = this.statePrev[state]!;
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const cls = c < 128 ? p.asciiClass[c]! : upperBound(p.classStarts, c) - 1;
      const nextKind = p.classKind[cls]!;
      const count = this.close(current, size, prevKind, nextKind);
      if (count < 0) return true;
      const n = this.advance(count, cls, next);
      if (n === 0 && p.anchoredStart) return false;
      const swap = current;
      current = next;
      next = swap;
      size = n;
      prevKind = nextKind;
    }
    return this.close(current, size, prevKind, Kind.end) < 0;
  }

  private step(from: number, cls: number): number {
    if (this.stateSets.length >= this.maxStates || this.positions >= MAX_POSITIONS) from = this.restart(from);
    const nextKind = this.p.classKind[cls]!;
    const set = this.stateSets[from]!;
    const count = this.close(set, set.length, this.statePrev[from]!, nextKind);
    let result: number;
    if (count < 0) result = MATCHED;
    else {
      const p = this.p;
      const n = this.advance(count, cls, this.nextSet);
      // With a leading ^ the start is only tried at the beginning: no positions left, no match.
      if (n === 0 && p.anchoredStart) result = DEAD;
      else result = this.intern(this.nextSet.slice(0, n).sort(), nextKind);
    }
    this.trans[from * this.classCount + cls] = result;
    return result;
  }

  /** The positions the collected threads reach on a character of class `cls`, into `into`; their count. */
  private advance(count: number, cls: number, into: Int32Array): number {
    const p = this.p;
    const gen = this.nextGeneration();
    let n = 0;
    for (let k = 0; k < count; k++) {
      const pc = this.threads[k]!;
      if (p.sets[p.arg[pc]!]![cls] === 1) {
        const to = p.out[pc]!;
        if (this.mark[to] !== gen) {
          this.mark[to] = gen;
          into[n++] = to;
        }
      }
    }
    return n;
  }

  private acceptsAtEnd(state: number): boolean {
    let known = this.endAccepts[state]!;
    if (known === UNKNOWN) {
      const set = this.stateSets[state]!;
      known = this.close(set, set.length, this.statePrev[state]!, Kind.end) < 0 ? 1 : 0;
      this.endAccepts[state] = known;
    }
    return known === 1;
  }

  /**
   * Follows the empty moves from the positions `set[0..size)` (and from the start, unless anchored) in
   * the context of the previous character's kind and the next one's; collects the positions that
   * read a character into `threads`. Returns their count, or -1 when a match is reached.
   */
  private close(set: Int32Array, size: number, prevKind: number, nextKind: number): number {
    const p = this.p;
    const op = p.op;
    const out = p.out;
    const arg = p.arg;
    const mark = this.mark;
    const stack = this.stack;
    const gen = this.nextGeneration();
    let top = 0;
    for (let k = 0; k < size; k++) {
      const pc = set[k]!;
      if (mark[pc] !== gen) {
        mark[pc] = gen;
        stack[top++] = pc;
      }
    }
    if ((!p.anchoredStart || prevKind === Kind.start) && mark[p.start] !== gen) {
      mark[p.start] = gen;
      stack[top++] = p.start;
    }
    let count = 0;
    while (top > 0) {
      const pc = stack[--top]!;
      switch (op[pc]) {
        case Op.set:
          this.threads[count++] = pc;
          break;
        case Op.match:
          return -1;
        case Op.split: {
          const a = out[pc]!;
          const b = arg[pc]!;
          if (mark[b] !== gen) {
            mark[b] = gen;
            stack[top++] = b;
          }
          if (mark[a] !== gen) {
            mark[a] = gen;
            stack[top++] = a;
          }
          break;
        }
        case Op.assert: {
          const to = out[pc]!;
          if (holds(arg[pc]!, prevKind, nextKind) && mark[to] !== gen) {
            mark[to] = gen;
            stack[top++] = to;
          }
          break;
        }
      }
    }
    return count;
  }

  /** A fresh mark value; on wrap-around every mark is cleared, so none can look current. */
  private nextGeneration(): number {
    if (++this.generation === 0xffffffff) {
      this.mark.fill(0);
      this.generation = 1;
    }
    return this.generation;
  }

  private intern(set: Int32Array, prevKind: number): number {
    const key = `${prevKind}|${set.join(',')}`;
    const known = this.index.get(key);
    if (known !== undefined) return known;
    const id = this.stateSets.length;
    this.stateSets.push(set);
    this.positions += set.length;
    this.statePrev.push(prevKind);
    this.endAccepts.push(UNKNOWN);
    this.index.set(key, id);
    const need = (id + 1) * this.classCount;
    if (need > this.trans.length) {
      const grown = new Int32Array(Math.min(this.maxStates * this.classCount, this.trans.length * 2)).fill(UNKNOWN);
      grown.set(this.trans);
      this.trans = grown;
    }
    return id;
  }

  /** The cache is full: keep only the start state and `state`, whose new id is returned. */
  private restart(state: number): number {
    const set = this.stateSets[state]!;
    const prev = this.statePrev[state]!;
    this.stateSets = [];
    this.statePrev = [];
    this.endAccepts = [];
    this.positions = 0;
    this.index.clear();
    this.trans.fill(UNKNOWN);
    this.intern(new Int32Array(0), Kind.start);
    return this.intern(set, prev);
  }
}

/** Whether an assertion (its index in ASSERTIONS) holds between two neighbours' kinds. */
function holds(assertion: number, prev: number, next: number): boolean {
  switch (assertion) {
    case 0: // beginText
      return prev === Kind.start;
    case 1: // endText
      return next === Kind.end;
    case 2: // beginLine
      return prev === Kind.start || prev === Kind.lineTerminator;
    case 3: // endLine
      return next === Kind.end || next === Kind.lineTerminator;
    case 4: // wordBoundary
      return (prev === Kind.word) !== (next === Kind.word);
    default: // notWordBoundary
      return (prev === Kind.word) === (next === Kind.word);
  }
}
