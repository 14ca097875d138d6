/**
 * Parsing stays roughly linear: ten thousand routes, and single huge literals, parse quickly.
 * The bounds are loose on purpose (a shared, noisy machine); a quadratic parser would miss them.
 */
import { describe, expect, it } from 'vitest';
import { parseRoutes } from '../../src/eskip/parser.js';

/**
 * Backslashes are rare on purpose (one route in a thousand): a scanner that searches ahead for
 * the next escape would otherwise scan the rest of the document for every string.
 */
function generatedDocument(count: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const backend =
      i % 3 === 0
        ? `"http://10.0.${(i >> 8) & 255}.${i & 255}:8080"`
        : i % 3 === 1
          ? `<roundRobin, "http://10.1.0.${i & 255}:80", "http://10.2.0.${i & 255}:80">`
          : '<shunt>';
    const tenant = i % 1000 === 999 ? `t\\"${i}` : `t${i}`;
    const rewrite = i % 1000 === 999 ? '/^\\/api\\/(.*)/' : '/^[/]api[/](.*)/';
    lines.push(
      `// route ${i}\n` +
        `kube_ns_ing_${i}: Host(/^svc-${i}[.]example[.]org$/) && PathSubtree("/api/${i}") && Header("X-Tenant", "${tenant}") && Weight(${i % 7}.5)\n` +
        `  -> setRequestHeader("X-Route", \`r${i}\`) -> modPath(${rewrite}, "/$1") -> ratelimit(${i}, "1m")\n` +
        `  -> ${backend};`,
    );
  }
  return lines.join('\n');
}

describe('parser performance', () => {
  it('parses 10,000 routes in well under a few seconds', () => {
    const text = generatedDocument(10_000);
    const started = performance.now();
    const routes = parseRoutes(text);
    const elapsed = performance.now() - started;

    expect(routes).toHaveLength(10_000);
    const last = routes[9_999];
    expect(last?.id).toBe('kube_ns_ing_9999');
    expect(last?.predicates[2]).toEqual({ name: 'Header', args: ['X-Tenant', 't"9999'] });
    expect(last?.filters[1]).toEqual({ name: 'modPath', args: [{ regexp: '^/api/(.*)' }, '/$1'] });
    expect(routes[0]?.predicates[2]).toEqual({ name: 'Header', args: ['X-Tenant', 't0'] });
    expect(routes[0]?.filters[1]).toEqual({ name: 'modPath', args: [{ regexp: '^[/]api[/](.*)' }, '/$1'] });
    expect(last?.backend).toEqual({ type: 'network', address: 'http://10.0.39.15:8080' });
    expect(elapsed).toBeLessThan(5_000);
  });

  it('parses 40,000 short routes without a single backslash', () => {
    // catches a scanner that looks ahead for the next escape: with none in the file, every
    // string would scan the rest of the document (about 300 GB of reads here)
    const lines: string[] = [];
    for (let i = 0; i < 40_000; i++) {
      lines.push(`r${i}: Path("/p/${i}") && Header("X-A", "v${i}") -> setPath("/q/${i}") -> "http://10.0.0.1:8080";`);
    }
    const text = lines.join('\n');
    const started = performance.now();
    const routes = parseRoutes(text);
    const elapsed = performance.now() - started;

    expect(routes).toHaveLength(40_000);
    expect(routes[39_999]?.filters).toEqual([{ name: 'setPath', args: ['/q/39999'] }]);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('reads a long string full of escapes and a long regexp in linear time', () => {
    const n = 200_000;
    const text = `r: Foo("${'a\\n'.repeat(n)}", /${'\\/x'.repeat(n)}/) -> <shunt>`;
    const started = performance.now();
    const [route] = parseRoutes(text);
    const elapsed = performance.now() - started;

    const [s, re] = route?.predicates[0]?.args ?? [];
    expect(s).toBe('a\n'.repeat(n));
    expect(re).toEqual({ regexp: '/x'.repeat(n) });
    expect(elapsed).toBeLessThan(5_000);
  });
});
