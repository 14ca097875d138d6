/**
 * The `zalando.org/*` Ingress annotations, read once per Ingress with Skipper's meaning. A bad
 * annotation is recorded as a problem; the translation then makes every route of that Ingress
 * answer 500 (fail closed), and leaves the other Ingresses alone.
 */
import type { Call, RouteDefinition } from '../../eskip/definition.js';
import { parseFilters, parsePredicates, parseRoutes } from '../../eskip/parser.js';
import { ErrorCode } from '../../errors.js';
import type { ErrorCode as Code } from '../../errors.js';
import { PATH_MODES } from './types.js';
import type { PathMode } from './types.js';
import {
  ipFilterCallsFromNginxAnnotations,
  NginxAllowlistSourceRange,
  NginxDenylistSourceRange,
  NginxWhitelistSourceRange,
} from '../../../filters/ip/nginx-annotations.js';

export const ANNOTATION_FILTER = 'zalando.org/skipper-filter';
/** Deprecated in Skipper in favour of skipper-filter, still read: its chain goes first. */
export const ANNOTATION_RATELIMIT = 'zalando.org/ratelimit';
export const ANNOTATION_PREDICATE = 'zalando.org/skipper-predicate';
export const ANNOTATION_ROUTES = 'zalando.org/skipper-routes';
export const ANNOTATION_BACKEND_WEIGHTS = 'zalando.org/backend-weights';
export const ANNOTATION_LOAD_BALANCER = 'zalando.org/skipper-loadbalancer';
export const ANNOTATION_BACKEND_PROTOCOL = 'zalando.org/skipper-backend-protocol';
export const ANNOTATION_PATH_MODE = 'zalando.org/skipper-ingress-path-mode';

/** The algorithms src/backend/balancer.ts implements. */
export const LOAD_BALANCERS: readonly string[] = ['roundRobin', 'random', 'consistentHash', 'powerOfRandomNChoices'];
const PROTOCOLS: readonly string[] = ['http', 'https'];

export interface AnnotationProblem {
  readonly annotation: string;
  readonly code: Code;
  readonly reason: string;
}

export interface IngressAnnotations {
  /** ipDenyList/ipAllowList from the ingress-nginx source-range annotations, first in every chain. */
  readonly ipFilters: readonly Call[];
  readonly filters: readonly Call[];
  readonly predicates: readonly Call[];
  readonly customRoutes: readonly RouteDefinition[];
  /** Service name → weight, or undefined when the annotation is absent. */
  readonly weights: ReadonlyMap<string, number> | undefined;
  readonly algorithm: string | undefined;
  readonly scheme: string;
  readonly pathMode: PathMode | undefined;
  readonly problems: readonly AnnotationProblem[];
}

/** Every annotation read here; an Ingress with none of them gets {@link NO_ANNOTATIONS}. */
const READ: ReadonlySet<string> = new Set([
  ANNOTATION_FILTER,
  ANNOTATION_RATELIMIT,
  ANNOTATION_PREDICATE,
  ANNOTATION_ROUTES,
  ANNOTATION_BACKEND_WEIGHTS,
  ANNOTATION_LOAD_BALANCER,
  ANNOTATION_BACKEND_PROTOCOL,
  ANNOTATION_PATH_MODE,
  NginxWhitelistSourceRange,
  NginxAllowlistSourceRange,
  NginxDenylistSourceRange,
]);

/** What an Ingress without any of the annotations read here gets: shared, never changed. */
const NO_ANNOTATIONS: IngressAnnotations = Object.freeze({
  ipFilters: Object.freeze([]),
  filters: Object.freeze([]),
  predicates: Object.freeze([]),
  customRoutes: Object.freeze([]),
  weights: undefined,
  algorithm: undefined,
  scheme: 'http',
  pathMode: undefined,
  problems: Object.freeze([]),
});

export function readAnnotations(annotations: Readonly<Record<string, string>> | undefined): IngressAnnotations {
  const a = annotations ?? {};
  // Most Ingresses carry only annotations of other tools (kubectl's last-applied-configuration).
  let relevant = false;
  for (const k in a) {
    if (READ.has(k)) {
      relevant = true;
      break;
    }
  }
  if (!relevant) return NO_ANNOTATIONS;
  const problems: AnnotationProblem[] = [];
  const problem = (annotation: string, code: Code, reason: string): void => {
    problems.push({ annotation, code, reason: `annotation ${annotation}: ${reason}` });
  };

  let ipFilters: readonly Call[];
  try {
    ipFilters = ipFilterCallsFromNginxAnnotations(a);
  } catch (err) {
    // A source range that cannot be read must not open the routes it guards (nor let another
    // Ingress's broader path serve them): the problem makes them answer 500, and the filters
    // refuse every client besides, should the routes ever be made without it.
    ipFilters = DENY_ALL;
    const message = (err as Error).message.replace(/^annotation [^:]+: /, '');
    problem(annotationOf(err), ErrorCode.InvalidIngress, message);
  }
  const ratelimits = parsed(a[ANNOTATION_RATELIMIT], parseFilters, (msg) => problem(ANNOTATION_RATELIMIT, ErrorCode.Parse, msg));
  const annotated = parsed(a[ANNOTATION_FILTER], parseFilters, (msg) => problem(ANNOTATION_FILTER, ErrorCode.Parse, msg));
  const filters = ratelimits.length === 0 ? annotated : [...ratelimits, ...annotated];
  const predicates = parsed(a[ANNOTATION_PREDICATE], parsePredicates, (msg) => problem(ANNOTATION_PREDICATE, ErrorCode.Parse, msg));
  const customRoutes = parsed(a[ANNOTATION_ROUTES], parseRoutes, (msg) => problem(ANNOTATION_ROUTES, ErrorCode.Parse, msg));

  let weights: Map<string, number> | undefined;
  const rawWeights = a[ANNOTATION_BACKEND_WEIGHTS];
  if (rawWeights !== undefined && rawWeights.trim() !== '') {
    const result = parseWeights(rawWeights);
    if (typeof result === 'string') problem(ANNOTATION_BACKEND_WEIGHTS, ErrorCode.InvalidIngress, result);
    else weights = result;
  }

  let algorithm: string | undefined = a[ANNOTATION_LOAD_BALANCER]?.trim() || undefined;
  if (algorithm !== undefined && !LOAD_BALANCERS.includes(algorithm)) {
    problem(ANNOTATION_LOAD_BALANCER, ErrorCode.InvalidIngress, `unknown algorithm "${algorithm}" (${LOAD_BALANCERS.join(', ')})`);
    algorithm = undefined;
  }

  let scheme = a[ANNOTATION_BACKEND_PROTOCOL]?.trim().toLowerCase() || 'http';
  if (!PROTOCOLS.includes(scheme)) {
    problem(ANNOTATION_BACKEND_PROTOCOL, ErrorCode.InvalidIngress, `unsupported protocol "${scheme}" (${PROTOCOLS.join(', ')})`);
    scheme = 'http';
  }

  let pathMode: PathMode | undefined;
  const rawMode = a[ANNOTATION_PATH_MODE]?.trim();
  if (rawMode) {
    if ((PATH_MODES as readonly string[]).includes(rawMode)) pathMode = rawMode as PathMode;
    else problem(ANNOTATION_PATH_MODE, ErrorCode.InvalidIngress, `unknown path mode "${rawMode}" (${PATH_MODES.join(', ')})`);
  }

  return { ipFilters, filters, predicates, customRoutes, weights, algorithm, scheme, pathMode, problems };
}

const DENY_ALL: readonly Call[] = [
  { name: 'status', args: [403] },
  { name: 'inlineContent', args: ['Forbidden\n'] },
];

function annotationOf(err: unknown): string {
  const m = /^annotation ([^:]+):/.exec((err as Error).message);
  return m?.[1] ?? NginxWhitelistSourceRange;
}

/**
 * Parsed annotation texts by parser and text. Many Ingresses carry the same filters or routes, and
 * a parse result is plain data nothing changes, so they share one. Cleared when full, so texts
 * that come and go cannot grow it without limit.
 */
const parsedTexts = new Map<(text: string) => unknown[], Map<string, { readonly value: readonly unknown[] } | { readonly error: string }>>();
const MAX_PARSED = 10_000;

function parsed<T>(text: string | undefined, parse: (text: string) => T[], fail: (message: string) => void): readonly T[] {
  if (text === undefined || text.trim() === '') return [];
  let cache = parsedTexts.get(parse);
  if (cache === undefined) parsedTexts.set(parse, (cache = new Map()));
  let entry = cache.get(text);
  if (entry === undefined) {
    try {
      entry = { value: Object.freeze(parse(text)) };
    } catch (err) {
      entry = { error: err instanceof Error ? err.message : String(err) };
    }
    if (cache.size >= MAX_PARSED) cache.clear();
    cache.set(text, entry);
  }
  if ('error' in entry) {
    fail(entry.error);
    return [];
  }
  return entry.value as readonly T[];
}

/** `{"svc-a": 80, "svc-b": 20}`: non-negative finite numbers only. */
function parseWeights(text: string): Map<string, number> | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The engine's message differs between Node versions; the position is not worth that.
    return 'not valid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'expected a JSON object of service name to weight';
  const weights = new Map<string, number>();
  for (const [name, w] of Object.entries(value)) {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) return `weight of "${name}" must be a non-negative number`;
    weights.set(name, w);
  }
  return weights;
}
