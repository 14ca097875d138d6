/**
 * Reads one case of Skipper's own Ingress fixtures (dataclients/kubernetes/testdata): `<case>.yaml`
 * (the objects), `<case>.kube` (Skipper's dataclient options), `<case>.eskip` (the routes Skipper
 * makes) and `<case>.log` (patterns of log lines Skipper writes). They are read where they lie,
 * never copied into this repository.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseRoutes } from '../../../src/eskip/index.js';
import type { RouteDefinition } from '../../../src/eskip/index.js';
import type { ClusterSnapshot, TranslateOptions } from '../../../src/kubernetes/translate/index.js';
import { loadSnapshot } from './load-fixture.js';

/**
 * Where the fixtures lie: SKIFF_SKIPPER_GOLDEN, else `shared/skipper-golden` beside the checkout
 * (as the team's machines and CI lay it out), else the team's usual place for it.
 */
export const SKIPPER_FIXTURES =
  [
    process.env.SKIFF_SKIPPER_GOLDEN,
    join(import.meta.dirname, '../../../../shared/skipper-golden/fixtures'),
    '/work/shared/skipper-golden/fixtures',
  ].find((dir): dir is string => dir !== undefined && dir !== '' && existsSync(dir)) ?? '/work/shared/skipper-golden/fixtures';

export interface SkipperCase {
  readonly name: string;
  readonly snapshot: ClusterSnapshot;
  /** Skipper's options in skiff's words. */
  readonly options: TranslateOptions;
  /** Undefined when the case has no `.eskip` (Skipper then checks only its log). */
  readonly routes: RouteDefinition[] | undefined;
  /** Regular expressions, one per line of `.log`. */
  readonly log: RegExp[];
}

/** The case names of a fixture directory (each `.yaml`), sorted. */
export function skipperCases(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/**
 * Skipper's fixtures serve Ingresses that name no class; `.kube` keys skiff knows are mapped, and
 * any other key fails the case (an option left out would make the comparison wrong, not weaker).
 */
export function readSkipperCase(dir: string, name: string): SkipperCase {
  const base = join(dir, name);
  const options: Record<string, unknown> = { ingressClasses: ['skiff'], acceptClassless: true, healthcheck: false };
  if (existsSync(`${base}.kube`)) {
    const kube = (parse(readFileSync(`${base}.kube`, 'utf8')) ?? {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(kube)) {
      const mapped = KUBE_OPTIONS[key];
      if (mapped === undefined) throw new Error(`${base}.kube: option "${key}" has no skiff counterpart in this runner`);
      options[mapped] = value;
    }
  }
  const eskip = `${base}.eskip`;
  const log = existsSync(`${base}.log`)
    ? readFileSync(`${base}.log`, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => new RegExp(l))
    : [];
  return {
    name,
    snapshot: loadSnapshot(`${base}.yaml`),
    options: options as TranslateOptions,
    routes: existsSync(eskip) ? parseRoutes(readFileSync(eskip, 'utf8')) : undefined,
    log,
  };
}

const KUBE_OPTIONS: Readonly<Record<string, keyof TranslateOptions>> = {
  enableExternalNames: 'externalNames',
  onlyAllowedExternalNames: 'onlyAllowedExternalNames',
  allowedExternalNames: 'allowedExternalNames',
};
