/**
 * Ingress translation: Kubernetes objects in, route definitions out. Pure and synchronous; the
 * watch layer feeds it snapshots, the listener layer calls it once per listener.
 */
export { translate } from './translate.js';
export { ClusterTranslator } from './translator.js';
export type { TranslatorStats } from './translator.js';
export type { ClusterSnapshot, IngressRef, PathMode, SkippedObject, TranslateOptions, TranslationResult } from './types.js';
export { PATH_MODES } from './types.js';
export {
  createClassMatcher,
  DEFAULT_CLASS_ANNOTATION,
  DEFAULT_CONTROLLERS,
  DEFAULT_INGRESS_CLASS,
  INGRESS_CLASS_ANNOTATION,
  ingressClassOf,
  isDefaultIngressClass,
  isIngressServed,
} from './classes.js';
export type { ClassSelection } from './classes.js';
export { DEFAULT_HEALTHCHECK_SOURCES, HEALTHCHECK_PATH, HEALTHCHECK_ROUTE_ID, HEALTHCHECK_DOWN_ROUTE_ID, healthcheckRoutes } from './healthcheck.js';
export { hostRegexp } from './hosts.js';
export {
  ANNOTATION_BACKEND_PROTOCOL,
  ANNOTATION_BACKEND_WEIGHTS,
  ANNOTATION_FILTER,
  ANNOTATION_LOAD_BALANCER,
  ANNOTATION_PATH_MODE,
  ANNOTATION_PREDICATE,
  ANNOTATION_ROUTES,
} from './annotations.js';
