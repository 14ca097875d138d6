/**
 * Skipper's five ExternalName fixtures (ingressV1/external-name), translated by skiff.
 *
 * Where skiff differs on purpose: Skipper's ExternalName route drops the Ingress path (its id has
 * an empty path and it matches the whole host), and a refused name leaves no route at all, so the
 * request goes to whatever else matches. skiff keeps the path, names the route like any other
 * path route, and answers 404 on a refused path itself. So each of Skipper's routes is compared by
 * what it does (host, filters, backend) with one of skiff's, which must also match the Ingress path.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRegexpArg } from '../../../src/eskip/index.js';
import type { Arg, RouteDefinition } from '../../../src/eskip/index.js';
import { printFilters, printBackend } from '../../../src/eskip/printer.js';
import { ErrorCode } from '../../../src/errors.js';
import { translate } from '../../../src/kubernetes/translate/index.js';
import type { TranslationResult } from '../../../src/kubernetes/translate/index.js';
import { readSkipperCase, SKIPPER_FIXTURES, skipperCases } from './skipper-fixture.js';
import type { SkipperCase } from './skipper-fixture.js';

const dir = join(SKIPPER_FIXTURES, 'ingressV1', 'external-name');

/** What a route does apart from its path: its Host pattern, filters and backend. */
function behaviour(route: RouteDefinition): string {
  const host = route.predicates.find((p) => p.name === 'Host');
  const pattern = host === undefined ? '*' : host.args.map((a: Arg) => (isRegexpArg(a) ? a.regexp : String(a))).join(',');
  return `${pattern} | ${printFilters(route.filters)} | ${printBackend(route.backend)}`;
}

/** The external name and path of every Ingress path whose Service is of type ExternalName. */
function externalPaths(c: SkipperCase): { name: string; path: string }[] {
  const names = new Map(c.snapshot.services.filter((s) => s.spec?.type === 'ExternalName').map((s) => [s.metadata.name, s.spec!.externalName!]));
  const out: { name: string; path: string }[] = [];
  for (const ing of c.snapshot.ingresses) {
    for (const rule of ing.spec?.rules ?? []) {
      for (const p of rule.http?.paths ?? []) {
        const name = names.get(p.backend.service?.name ?? '');
        if (name !== undefined) out.push({ name, path: p.path ?? '/' });
      }
    }
  }
  return out;
}

/** Skipper's rule, from its options alone: on, and either no allow-list or a pattern matches. */
function allowedBySkipper(c: SkipperCase, name: string): boolean {
  if (c.options.externalNames !== true) return false;
  if (c.options.onlyAllowedExternalNames !== true) return true;
  return (c.options.allowedExternalNames ?? []).some((p) => new RegExp(p).test(name));
}

function routeOfPath(result: TranslationResult, path: string): RouteDefinition | undefined {
  // ImplementationSpecific paths, in the default path mode: PathRegexp("^(<path>)")
  return result.routes.find((r) => r.predicates.some((p) => p.name === 'PathRegexp' && p.args.some((a) => isRegexpArg(a) && a.regexp === `^(${path})`)));
}

const present = existsSync(dir);
if (!present) console.warn(`Skipper's ExternalName fixtures are not at ${dir}: their comparison is skipped`);

describe.skipIf(!present)(`Skipper fixtures ${dir}`, () => {
  const cases = present ? skipperCases(dir) : [];

  it('holds the five cases', () => {
    expect(cases).toEqual(['all-allowed', 'external-name-validation-not-enabled', 'none-allowed', 'not-allowed', 'some-allowed']);
  });

  it.each(cases)('%s', (name) => {
    const c = readSkipperCase(dir, name);
    const result = translate(c.snapshot, c.options);
    const paths = externalPaths(c);
    expect(paths.length).toBeGreaterThan(0);

    // Each ExternalName path keeps a route: to its name when Skipper would route it, else a local 404.
    for (const { name: ext, path } of paths) {
      const route = routeOfPath(result, path);
      expect(route, `a route for ${path}`).toBeDefined();
      if (allowedBySkipper(c, ext)) {
        expect(route!.backend).toEqual({ type: 'network', address: `https://${ext}:443` });
        expect(route!.filters).toEqual([{ name: 'setRequestHeader', args: ['Host', ext] }]);
      } else {
        expect(route!.backend).toEqual({ type: 'shunt' });
        expect(result.skipped.find((s) => s.id === route!.id)?.code).toBe(ErrorCode.ExternalNameNotAllowed);
      }
    }

    const network = result.routes.filter((r) => r.backend.type === 'network');
    if (c.routes !== undefined) {
      // Skipper's routes, by what they do, are skiff's routes to the network
      expect(network.map(behaviour).sort()).toEqual(c.routes.map(behaviour).sort());
    }
    for (const pattern of c.log) {
      expect(
        result.skipped.filter((s) => s.code === ErrorCode.ExternalNameNotAllowed).map((s) => s.reason),
        `a reported reason matching Skipper's log line ${pattern}`,
      ).toContainEqual(expect.stringMatching(pattern));
    }
  });
});
