/**
 * Hostile edits of well-formed messages, for the random tests: a hostile piece put in or over
 * the bytes at a random place, the end cut off there, or (for answers) a piece glued after the
 * end. Half of the messages stay untouched, so that most still get far enough to be handled.
 */
import fc from 'fast-check';

export type EditKind = 'insert' | 'replace' | 'cut' | 'append';
export type Edit = readonly [where: number, piece: string, kind: EditKind];

/** No edit half of the time, else one or two. */
export function editsOf(pieces: fc.Arbitrary<string>, kinds: readonly EditKind[]): fc.Arbitrary<readonly Edit[]> {
  const edit = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), pieces, fc.constantFrom(...kinds));
  return fc.oneof(fc.constant([]), fc.array(edit, { minLength: 1, maxLength: 2 }));
}

export function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const [where, piece, kind] of edits) {
    const at = Math.floor(where * out.length);
    if (kind === 'insert') out = out.slice(0, at) + piece + out.slice(at);
    else if (kind === 'replace') out = out.slice(0, at) + piece + out.slice(at + piece.length);
    else if (kind === 'cut') out = out.slice(0, Math.max(at, 1));
    else out += piece;
  }
  return out;
}
