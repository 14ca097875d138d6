/**
 * The shape of an Ingress as the translation reads it. The API server enforces this shape, but
 * objects read from manifest files (`--ingress-dir`) have only been through a YAML parser: an
 * unquoted annotation such as `zalando.org/backend-weights: {"web": 100}` arrives as a mapping,
 * `ingressClassName: 5` as a number. Such an Ingress is set aside with the field named, and the
 * others are translated as usual.
 */
import type { Ingress } from '../objects.js';
import { absentOr, isMapping } from './value-types.js';

/** Why the Ingress cannot be read, or null when its shape is as the API defines it. */
export function ingressShapeProblem(ingress: Ingress): string | null {
  const meta = ingress.metadata as unknown;
  if (!isMapping(meta)) return 'metadata is not a mapping';
  if (typeof meta['name'] !== 'string') return 'metadata.name is not a string';
  if (meta['namespace'] !== undefined && typeof meta['namespace'] !== 'string') return 'metadata.namespace is not a string';
  const annotations = meta['annotations'];
  if (annotations !== undefined && annotations !== null) {
    if (!isMapping(annotations)) return 'metadata.annotations is not a mapping';
    for (const key in annotations) {
      if (typeof annotations[key] !== 'string') return `annotation ${key} is not a string (in YAML, quote the value)`;
    }
  }
  const spec = ingress.spec as unknown;
  if (spec === undefined || spec === null) return null;
  if (!isMapping(spec)) return 'spec is not a mapping';
  const className = spec['ingressClassName'];
  if (!absentOr(className, 'string')) return 'spec.ingressClassName is not a string';
  if (spec['defaultBackend'] !== undefined && spec['defaultBackend'] !== null) {
    const problem = backendProblem(spec['defaultBackend']);
    if (problem !== null) return `spec.defaultBackend: ${problem}`;
  }
  const rules = spec['rules'];
  if (rules === undefined || rules === null) return null;
  if (!Array.isArray(rules)) return 'spec.rules is not a list';
  for (let i = 0; i < rules.length; i++) {
    const problem = ruleProblem(rules[i]);
    if (problem !== null) return `spec.rules[${i}]${problem}`;
  }
  return null;
}

function ruleProblem(rule: unknown): string | null {
  if (!isMapping(rule)) return ' is not a mapping';
  if (!absentOr(rule['host'], 'string')) return '.host is not a string';
  const http = rule['http'];
  if (http === undefined || http === null) return null;
  if (!isMapping(http)) return '.http is not a mapping';
  const paths = http['paths'];
  if (paths === undefined || paths === null) return null;
  if (!Array.isArray(paths)) return '.http.paths is not a list';
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i] as unknown;
    const at = `.http.paths[${i}]`;
    if (!isMapping(path)) return `${at} is not a mapping`;
    for (const field of ['path', 'pathType']) {
      const v = path[field];
      if (!absentOr(v, 'string')) return `${at}.${field} is not a string`;
    }
    const problem = backendProblem(path['backend']);
    if (problem !== null) return `${at}.backend: ${problem}`;
  }
  return null;
}

function backendProblem(backend: unknown): string | null {
  if (!isMapping(backend)) return 'not a mapping';
  const service = backend['service'];
  if (service === undefined || service === null) return null; // a resource backend, or none: the translation says why
  if (!isMapping(service)) return 'service is not a mapping';
  if (typeof service['name'] !== 'string') return 'service.name is not a string';
  const port = service['port'];
  if (port === undefined || port === null) return null;
  if (!isMapping(port)) return 'service.port is not a mapping';
  if (!absentOr(port['number'], 'number')) return 'service.port.number is not a number';
  if (!absentOr(port['name'], 'string')) return 'service.port.name is not a string';
  return null;
}
