/**
 * Problems at a place in a file skiff reads (a routes file, an Ingress manifest, a filter
 * plugin), printed as `FILE:LINE:COLUMN: message`, the form compilers use, so that editors and CI
 * annotations jump to the line. A problem without a position (a file that cannot be read) prints
 * as `FILE: message`.
 */
import { type ErrorCode, SkiffError } from './errors.js';

export interface SourceProblem {
  /** The file as the operator named it (not resolved), so the line reads like the command line. */
  readonly file: string;
  /** 1-based; absent when the problem has no place in the file. */
  readonly line?: number;
  /** 1-based, in characters. */
  readonly column?: number;
  readonly code: ErrorCode | string;
  readonly message: string;
}

export function formatProblem(p: SourceProblem): string {
  return p.line === undefined ? `${p.file}: ${p.message}` : `${p.file}:${p.line}:${p.column ?? 1}: ${p.message}`;
}

/** One or more problems that stop a source from starting; the message is one formatted line per problem. */
export class SourceError extends SkiffError {
  readonly problems: readonly SourceProblem[];

  constructor(problems: readonly SourceProblem[], options?: { cause?: unknown }) {
    const first = problems[0];
    if (first === undefined) throw new Error('SourceError needs a problem');
    super(first.code as ErrorCode, problems.map(formatProblem).join('\n'), options);
    this.name = 'SourceError';
    this.problems = problems;
  }
}
