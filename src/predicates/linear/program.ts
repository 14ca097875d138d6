/**
 * Compiles a parsed expression to a Thompson automaton over character classes: the code units
 * are split into the fewest classes no set of the expression tells apart, so the matcher's
 * tables have a column per class, not per character. Counted repetitions are unrolled, which is
 * why the program size is capped (RE2 caps it too, and refuses `x{1001}` outright).
 */
import { LINE_TERMINATORS, WORD, type Assertion, type Ranges, type RegexpNode } from './syntax.js';

export const Op = { set: 0, split: 1, assert: 2, match: 3 } as const;

/** What a position's neighbour is, for ^, $, \b and \B. */
export const Kind = { start: 0, lineTerminator: 1, word: 2, other: 3, end: 4 } as const;

export const ASSERTIONS: readonly Assertion[] = ['beginText', 'endText', 'beginLine', 'endLine', 'wordBoundary', 'notWordBoundary'];

/** Instructions beyond this are refused: unrolled repetitions would make every step slow. */
export const MAX_INSTRUCTIONS = 20_000;

/** RE2's own limit on a counted repetition; Skipper refuses `x{1001}` as well. */
export const MAX_REPEAT = 1000;

export class ProgramTooLarge extends Error {}

export interface Program {
  readonly op: Uint8Array;
  readonly out: Int32Array;
  /** split: the second way; set: the set's index; assert: the assertion's index in ASSERTIONS. */
  readonly arg: Int32Array;
  readonly start: number;
  /** Per set, a 0/1 membership per class. */
  readonly sets: Uint8Array[];
  readonly classCount: number;
  /** Class of each code unit below 128. */
  readonly asciiClass: Uint16Array;
  /** First code unit of each class, ascending (for the units past ASCII). */
  readonly classStarts: Int32Array;
  readonly classKind: Uint8Array;
  /** True when every match must start at the beginning of the text (a leading ^ without m). */
  readonly anchoredStart: boolean;
}

export function compileProgram(root: RegexpNode): Program {
  const setList: Ranges[] = [];
  collectSets(root, setList);
  const starts = classBoundaries(setList);
  const classCount = starts.length;
  const classOf = (code: number): number => upperBound(starts, code) - 1;
  const asciiClass = new Uint16Array(128);
  for (let c = 0; c < 128; c++) asciiClass[c] = classOf(c);
  const classKind = new Uint8Array(classCount);
  for (let k = 0; k < classCount; k++) {
    const c = starts[k]!;
    classKind[k] = contains(LINE_TERMINATORS, c) ? Kind.lineTerminator : contains(WORD, c) ? Kind.word : Kind.other;
  }
  const builder = new Builder((ranges) => {
    const member = new Uint8Array(classCount);
    for (let i = 0; i < ranges.length; i += 2) {
      for (let k = classOf(ranges[i]!); k < classCount && starts[k]! <= ranges[i + 1]!; k++) member[k] = 1;
    }
    return member;
  });
  const match = builder.emit(Op.match, -1, 0);
  const start = builder.compile(root, match);
  return {
    op: Uint8Array.from(builder.op),
    out: Int32Array.from(builder.out),
    arg: Int32Array.from(builder.arg),
    start,
    sets: builder.sets,
    classCount,
    asciiClass,
    classStarts: Int32Array.from(starts),
    classKind,
    anchoredStart: anchoredAtStart(root),
  };
}

/** Emits instructions back to front: each piece is compiled knowing what runs after it. */
/**
 * Throws ProgramTooLarge when compileProgram would, without building anything: the route is
 * refused when the table is built, even though its automaton is only made on first use.
 */
export function checkSize(root: RegexpNode): void {
  if (size(root) > MAX_INSTRUCTIONS) throw new ProgramTooLarge();
}

/** Instructions compileProgram emits for `node` (sets are the same size); Infinity past the caps. */
function size(node: RegexpNode): number {
  switch (node.type) {
    case 'empty':
      return 0;
    case 'set':
    case 'assert':
      return 1;
    case 'concat':
      return node.items.reduce((n, item) => n + size(item), 0);
    case 'alternate':
      return node.items.reduce((n, item) => n + size(item), node.items.length - 1);
    case 'repeat': {
      const { min, max } = node;
      if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) return Infinity;
      const item = size(node.item);
      return max === Infinity ? (min + 1) * item + 1 : max * item + (max - min);
    }
  }
}

class Builder {
  readonly op: number[] = [];
  readonly out: number[] = [];
  readonly arg: number[] = [];
  readonly sets: Uint8Array[] = [];
  private readonly setIndex = new Map<string, number>();

  constructor(private readonly membership: (ranges: Ranges) => Uint8Array) {}

  emit(op: number, out: number, arg: number): number {
    if (this.op.length >= MAX_INSTRUCTIONS) throw new ProgramTooLarge();
    this.op.push(op);
    this.out.push(out);
    this.arg.push(arg);
    return this.op.length - 1;
  }

  /** Compiles `node` to run before `next`; returns its entry. */
  compile(node: RegexpNode, next: number): number {
    switch (node.type) {
      case 'empty':
        return next;
      case 'set':
        return this.emit(Op.set, next, this.set(node.ranges));
      case 'assert':
        return this.emit(Op.assert, next, ASSERTIONS.indexOf(node.kind));
      case 'concat': {
        let entry = next;
        for (let k = node.items.length - 1; k >= 0; k--) entry = this.compile(node.items[k]!, entry);
        return entry;
      }
      case 'alternate': {
        let entry = this.compile(node.items[node.items.length - 1]!, next);
        for (let k = node.items.length - 2; k >= 0; k--) entry = this.emit(Op.split, this.compile(node.items[k]!, next), entry);
        return entry;
      }
      case 'repeat':
        return this.repeat(node.item, node.min, node.max, next);
    }
  }

  private repeat(item: RegexpNode, min: number, max: number, next: number): number {
    if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) throw new ProgramTooLarge();
    let tail = next;
    if (max === Infinity) {
      // a split whose first way runs the item and comes back to the split
      const loop = this.emit(Op.split, -1, next);
      this.out[loop] = this.compile(item, loop);
      tail = loop;
    } else {
      // each optional copy may skip straight to what follows: x{0,2} is (x(x)?)?
      for (let k = min; k < max; k++) tail = this.emit(Op.split, this.compile(item, tail), next);
    }
    for (let k = 0; k < min; k++) tail = this.compile(item, tail);
    return tail;
  }

  private set(ranges: Ranges): number {
    const key = ranges.join(',');
    let index = this.setIndex.get(key);
    if (index === undefined) {
      index = this.sets.push(this.membership(ranges)) - 1;
      this.setIndex.set(key, index);
    }
    return index;
  }
}

/** Every set of the expression, for the class boundaries. */
function collectSets(node: RegexpNode, into: Ranges[]): void {
  switch (node.type) {
    case 'set':
      into.push(node.ranges);
      return;
    case 'concat':
    case 'alternate':
      for (const item of node.items) collectSets(item, into);
      return;
    case 'repeat':
      collectSets(node.item, into);
      return;
    default:
      return;
  }
}

/** Sorted first code units of the classes: every set's edges, and the edges of the kinds. */
function classBoundaries(sets: Ranges[]): number[] {
  const edges = new Set<number>([0]);
  for (const ranges of [...sets, WORD, LINE_TERMINATORS]) {
    for (let i = 0; i < ranges.length; i += 2) {
      edges.add(ranges[i]!);
      if (ranges[i + 1]! < 0xffff) edges.add(ranges[i + 1]! + 1);
    }
  }
  return [...edges].sort((a, b) => a - b);
}

/** Index of the first element greater than `value`. */
export function upperBound(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function contains(ranges: Ranges, code: number): boolean {
  for (let i = 0; i < ranges.length; i += 2) if (code >= ranges[i]! && code <= ranges[i + 1]!) return true;
  return false;
}

function anchoredAtStart(node: RegexpNode): boolean {
  switch (node.type) {
    case 'assert':
      return node.kind === 'beginText';
    case 'concat':
      return node.items.length > 0 && anchoredAtStart(node.items[0]!);
    case 'alternate':
      return node.items.every(anchoredAtStart);
    case 'repeat':
      return node.min > 0 && anchoredAtStart(node.item);
    default:
      return false;
  }
}
