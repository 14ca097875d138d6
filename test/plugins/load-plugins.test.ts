/**
 * Loading filter and predicate plugins: the example plugin proxies a real request, and every
 * malformed module is refused with SkiffError Plugin naming the file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFilterPlugins, loadPlugins } from '../../src/plugins/load-plugins.js';
import { ErrorCode, SkiffError } from '../../src/errors.js';
import { SourceError } from '../../src/source-error.js';
import { startEcho, type Received, type TestServer } from '../helpers/upstream.js';
import { startSkiff } from '../helpers/skiff.js';
import { json, request } from '../helpers/http.js';

const example = 'examples/plugins/sunset.js';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skiff-plugins-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function plugin(name: string, source: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, source);
  return file;
}

async function pluginError(files: string[]): Promise<SkiffError> {
  try {
    await loadPlugins(files);
  } catch (err) {
    expect(err).toBeInstanceOf(SkiffError);
    expect((err as SkiffError).code).toBe(ErrorCode.Plugin);
    return err as SkiffError;
  }
  throw new Error(`loading ${files.join(', ')} should have failed`);
}

describe('the example plugin', () => {
  it('loads its filter and predicate', async () => {
    const loaded = await loadPlugins([example]);
    expect(loaded.filters.map((s) => s.name)).toEqual(['sunset']);
    expect(loaded.predicates.map((s) => s.name)).toEqual(['HeaderPresent']);
    expect((await loadFilterPlugins([example])).map((s) => s.name)).toEqual(['sunset']);
  });

  it('proxies a request through a route that uses it', async () => {
    const echo: TestServer = await startEcho();
    const { filters, predicates } = await loadPlugins([example]);
    const proxy = await startSkiff(
      `
      canary: Path("/v1") && HeaderPresent("X-Canary") -> setRequestHeader("X-Lane", "canary") -> sunset("2030-01-31T00:00:00Z", "https://docs.example.org/v2") -> "${echo.url}";
      v1: Path("/v1") -> sunset("2030-01-31T00:00:00Z") -> "${echo.url}";
      bad: Path("/bad") -> sunset("not a date") -> "${echo.url}";`,
      { filters, predicates },
    );
    try {
      const plain = await json<Received>(`${proxy.url}/v1`);
      expect(plain.status).toBe(200);
      expect(plain.headers.sunset).toBe('Thu, 31 Jan 2030 00:00:00 GMT');
      expect(plain.headers.link).toBeUndefined();
      expect(plain.body.headers['x-lane']).toBeUndefined();

      const canary = await json<Received>(`${proxy.url}/v1`, { headers: { 'x-canary': '1' } });
      expect(canary.body.headers['x-lane']).toBe('canary');
      expect(canary.headers.link).toBe('<https://docs.example.org/v2>; rel="sunset"');

      // a plugin create() that throws fails its route closed like a built-in with bad arguments
      expect((await request(`${proxy.url}/bad`)).status).toBe(500);
      expect(proxy.skiff.table().invalid).toEqual([expect.objectContaining({ id: 'bad', code: 'SKIFF_ERR_INVALID_ARGS' })]);
      expect(proxy.skiff.table().routes.map((r) => r.id).sort()).toEqual(['canary', 'v1']);
    } finally {
      await proxy.stop();
      await echo.close();
    }
  });
});

describe('the wrapped specs', () => {
  it('turn plugin exceptions and non-filters into InvalidArgs', async () => {
    const file = await plugin('wrap.mjs', `
      export const filters = [
        { name: 'throws', create() { throw new TypeError('boom'); } },
        { name: 'returnsJunk', create() { return 42; } },
        { name: 'badRequest', create() { return { request: 'nope' }; } },
        { name: 'fine', create() { return {}; } },
      ];
      export const predicates = [{ name: 'NoMatch', create() { return {}; } }];`);
    const { filters, predicates } = await loadPlugins([file]);
    const byName = new Map(filters.map((s) => [s.name, s]));
    for (const name of ['throws', 'returnsJunk', 'badRequest']) {
      let err: unknown;
      try {
        byName.get(name)!.create([]);
      } catch (e) {
        err = e;
      }
      expect(err, name).toBeInstanceOf(SkiffError);
      expect((err as SkiffError).code, name).toBe(ErrorCode.InvalidArgs);
      expect((err as SkiffError).message.startsWith(`${name}: `), name).toBe(true);
    }
    expect(byName.get('fine')!.create([])).toEqual({});
    expect(() => predicates[0]!.create([])).toThrow(SkiffError);
  });
});

describe('refused modules', () => {
  it('a missing file or one that does not parse', async () => {
    expect((await pluginError([join(dir, 'nope.js')])).message).toContain('nope.js');
    const broken = await plugin('broken.mjs', 'export const filters = [;');
    expect((await pluginError([broken])).message).toContain('broken.mjs');
  });

  it('points at the line and column of a syntax error or of an exception thrown while the module runs', async () => {
    const syntax = await plugin('syntax.mjs', 'export const filters = [];\nconst = 5;\n');
    const e1 = await pluginError([syntax]);
    expect(e1).toBeInstanceOf(SourceError);
    expect(e1.message).toBe(`${syntax}:2:7: cannot load: SyntaxError: Unexpected token '='`);
    const throws = await plugin('throws.mjs', 'export const filters = [];\nconst x = null;\nx.foo();\n');
    expect((await pluginError([throws])).message).toMatch(new RegExp(`^${throws}:3:3: cannot load: TypeError: `));
    expect((await pluginError([join(dir, 'nope.js')])).message).toMatch(new RegExp(`^${join(dir, 'nope.js')}: cannot read: ENOENT`));
  });

  it('modules without specs, or with malformed ones', async () => {
    const cases: Record<string, [string, RegExp]> = {
      'empty.mjs': ['export const x = 1;', /exports no specs/],
      'not-array.mjs': ['export const filters = { name: "a" };', /must be an array/],
      'no-name.mjs': ['export const filters = [{ create() { return {}; } }];', /needs a name/],
      'upper.mjs': ['export const filters = [{ name: "Upper", create() { return {}; } }];', /lowerCamel/],
      'lower-pred.mjs': ['export const predicates = [{ name: "lower", create() { return {}; } }];', /UpperCamel/],
      'no-create.mjs': ['export const filters = [{ name: "noCreate" }];', /needs a create function/],
      'null-spec.mjs': ['export const filters = [null];', /not an object/],
    };
    for (const [name, [source, message]] of Object.entries(cases)) {
      const err = await pluginError([await plugin(name, source)]);
      expect(err.message, name).toMatch(message);
      expect(err.message, name).toContain(name);
    }
  });

  it('the same name from two plugins', async () => {
    const a = await plugin('a.mjs', 'export default { filters: [{ name: "dup", create() { return {}; } }] };');
    const b = await plugin('b.mjs', 'export const filters = [{ name: "dup", create() { return {}; } }];');
    const loaded = await loadPlugins([a]);
    expect(loaded.filters.map((s) => s.name)).toEqual(['dup']);
    const err = await pluginError([a, b]);
    expect(err.message).toContain('b.mjs');
    expect(err.message).toContain('a.mjs');
  });
});
