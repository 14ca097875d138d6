/** parseRoutesWithPositions: where each route of a document starts, for messages that point into a file. */
import { describe, expect, it } from 'vitest';
import { parseRoutes, parseRoutesWithPositions } from '../../src/eskip/parser.js';

describe('parseRoutesWithPositions', () => {
  it('gives the line and column of each route id, past comments, blank lines and shared lines', () => {
    const text = '// head\n\na: * -> <shunt>;\n  b: Path("/b")\n    -> <shunt>; c: * -> <shunt>\n';
    const { routes, positions } = parseRoutesWithPositions(text);
    expect(routes).toEqual(parseRoutes(text));
    expect(routes.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(positions).toEqual([
      { line: 3, column: 1 },
      { line: 4, column: 3 },
      { line: 5, column: 17 },
    ]);
  });

  it('counts a character outside the BMP as one column, and places a route without id at its first token', () => {
    const { positions } = parseRoutesWithPositions('a: Path("/\u{1F600}") -> <shunt>; b: * -> <shunt>;');
    expect(positions).toEqual([
      { line: 1, column: 1 },
      { line: 1, column: 27 },
    ]);
    expect(parseRoutesWithPositions('\n  * -> <shunt>').positions).toEqual([{ line: 2, column: 3 }]);
    expect(parseRoutesWithPositions('\n Path("/") -> <shunt>').positions).toEqual([{ line: 2, column: 2 }]);
    expect(parseRoutesWithPositions('// nothing').positions).toEqual([]);
  });
});
