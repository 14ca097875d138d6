/** A routes file at start: one that cannot be read or parsed stops the start; an empty one is a warning. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RoutesFileSource } from '../../src/sources/routes-file.js';
import { SourceError } from '../../src/source-error.js';
import { createLogger } from '../../src/log.js';
import type { SourceUpdate } from '../../src/sources/source.js';

let dir = '';
const sources: RoutesFileSource[] = [];
afterEach(async () => {
  for (const s of sources.splice(0)) await s.stop();
  if (dir !== '') await rm(dir, { recursive: true, force: true });
  dir = '';
});

async function startFiles(files: Record<string, string>, names: string[] = Object.keys(files)) {
  dir = await mkdtemp(join(tmpdir(), 'skiff-routes-start-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  const lines: string[] = [];
  const source = new RoutesFileSource(names.map((n) => join(dir, n)), createLogger('info', (l) => lines.push(l)), 20);
  sources.push(source);
  const updates: SourceUpdate[] = [];
  const started = source.start((u) => updates.push(u)).then(
    () => null,
    (err: unknown) => err,
  );
  return { error: await started, updates, lines };
}

describe('RoutesFileSource.start', () => {
  it('rejects a file that does not parse with its file, line and column, and sends no update', async () => {
    const { error, updates } = await startFiles({ 'r.eskip': 'a: Path("/a") -> <shunt>;\nb: Path("/b")\n  -> foo( -> <shunt>;\n' });
    expect(error).toBeInstanceOf(SourceError);
    const e = error as SourceError;
    expect(e.code).toBe('SKIFF_ERR_PARSE');
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]).toMatchObject({ file: join(dir, 'r.eskip'), line: 3, column: 11 });
    expect(e.message).toMatch(new RegExp(`^${join(dir, 'r.eskip')}:3:11: `));
    expect(updates).toEqual([]);
  });

  it('rejects a file that cannot be read, naming every broken file', async () => {
    const { error } = await startFiles({ 'bad.eskip': 'a: ->' }, ['bad.eskip', 'missing.eskip']);
    const e = error as SourceError;
    expect(e.problems.map((p) => p.file)).toEqual([join(dir, 'bad.eskip'), join(dir, 'missing.eskip')]);
    expect(e.message.split('\n')[1]).toMatch(new RegExp(`^${join(dir, 'missing.eskip')}: cannot read: ENOENT`));
    expect(e.problems[1]!.code).toBe('SKIFF_ERR_SOURCE');
  });

  it('starts on an empty file with a warning', async () => {
    const { error, updates, lines } = await startFiles({ 'empty.eskip': '// nothing yet\n' });
    expect(error).toBeNull();
    expect(updates).toEqual([{ routes: [], invalid: [] }]);
    const warning = lines.map((l) => JSON.parse(l) as { level: string; msg: string; file?: string }).find((l) => l.level === 'warn');
    expect(warning).toMatchObject({ msg: 'routes file has no routes', file: join(dir, 'empty.eskip') });
  });
});
