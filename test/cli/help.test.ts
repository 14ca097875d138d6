/** `node bin/skiff.js` on the command line a person types: -h, check --help, a typo, a bad variable. */
import { describe, expect, it } from 'vitest';
import { runSkiff, skiffBuilt } from '../helpers/process.js';

const built = skiffBuilt();
if (!built) console.warn('test/cli/help: skipped, dist/ is missing (run `npm run build`)');

describe.skipIf(!built)('the skiff command line', () => {
  it('prints the grouped help for -h and exits 0', async () => {
    const r = await runSkiff(['-h']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: skiff \[options\]\n/);
    expect(r.stdout).toContain('\nRoute sources:\n  --routes-file FILE ');
    expect(r.stdout.split('\n').every((l) => l.length <= 100)).toBe(true);
  });

  it('prints the help of skiff check', async () => {
    const r = await runSkiff(['check', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: skiff check \[options\]\n/);
  });

  it('suggests the option meant, and names the variable a bad value came from (exit 2)', async () => {
    const typo = await runSkiff(['--routes-fil', 'x.eskip']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe('skiff: unknown option --routes-fil; did you mean --routes-file? (see --help)\n');
    const env = await runSkiff(['--routes-file', 'x.eskip'], { SKIFF_KEEPALIVE_TIMEOUT: 'abc' });
    expect(env.code).toBe(2);
    expect(env.stderr).toBe('skiff: SKIFF_KEEPALIVE_TIMEOUT=abc: expected a duration like 500ms, 10s or 1m30s\n');
  });
});
