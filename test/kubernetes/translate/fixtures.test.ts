/**
 * Golden tests for Ingress translation: every fixtures/<feature>/<case>.yaml is translated and
 * printed as eskip, then compared with <case>.eskip; the routes set aside are compared with
 * <case>.invalid.json (absent: none expected). <case>.options.json overrides the options.
 * UPDATE_GOLDEN=1 rewrites the expected files (review them before committing).
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printRoutes } from '../../../src/eskip/printer.js';
import { translate } from '../../../src/kubernetes/translate/index.js';
import type { TranslateOptions } from '../../../src/kubernetes/translate/index.js';
import { loadSnapshot } from './load-fixture.js';

const root = join(import.meta.dirname, 'fixtures');
const update = process.env.UPDATE_GOLDEN === '1';

/** Fixtures run without the health-check route unless their options ask for it. */
const fixtureDefaults: TranslateOptions = { ingressClasses: ['skiff'], healthcheck: false };

const features = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

describe.each(features)('%s', (feature) => {
  const dir = join(root, feature);
  const cases = readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -'.yaml'.length)).sort();
  it.each(cases)('%s', (name) => {
    const base = join(dir, name);
    const optionsFile = `${base}.options.json`;
    const options: TranslateOptions = existsSync(optionsFile)
      ? { ...fixtureDefaults, ...(JSON.parse(readFileSync(optionsFile, 'utf8')) as TranslateOptions) }
      : fixtureDefaults;
    const result = translate(loadSnapshot(`${base}.yaml`), options);
    const eskip = printRoutes(result.routes) + '\n';
    const invalid = result.skipped.length === 0 ? undefined : JSON.stringify(result.skipped, null, 2) + '\n';
    if (update) {
      writeFileSync(`${base}.eskip`, eskip);
      if (invalid !== undefined) writeFileSync(`${base}.invalid.json`, invalid);
      else rmSync(`${base}.invalid.json`, { force: true });
    }
    expect(eskip).toBe(readFileSync(`${base}.eskip`, 'utf8'));
    const invalidFile = `${base}.invalid.json`;
    expect(result.skipped).toEqual(existsSync(invalidFile) ? JSON.parse(readFileSync(invalidFile, 'utf8')) : []);
  });
});
