/**
 * skiff as a library: build your own router binary with extra filters and predicates, the way
 * teams build on Skipper. See README.md, "Using skiff as a library".
 */
export { createSkiff } from './skiff.js';
export type { Skiff, SkiffConfig, ListenerConfig } from './skiff.js';
export type {
  Filter,
  FilterSpec,
  FilterContext,
  Predicate,
  PredicateSpec,
  RequestView,
  OutgoingRequest,
  ResponseState,
  LocalReply,
  Arg,
} from './spec.js';
export type { RouteDefinition, RouteFailure, BackendDefinition, Call, RegexpArg } from './eskip/definition.js';
export { isRegexpArg } from './eskip/definition.js';
export { parseRoutes, parseRoute, parseFilters, parsePredicates, printRoute, printRoutes } from './eskip/index.js';
export { SkiffError, ErrorCode, invalidArgs } from './errors.js';
export { Registry } from './registry.js';
export { builtinPredicates } from './predicates/index.js';
export { builtinFilters } from '../filters/index.js';
export { compileTemplate } from './templates/template.js';
export { RoutesFileSource } from './sources/routes-file.js';
export type { RouteSourceHandle, SourceUpdate } from './sources/source.js';
export type { ProxyObserver, ExchangeRecord } from './proxy/observer.js';
export type { ClientIpPolicy } from './proxy/client-ip.js';
export { defaultProxyOptions } from './proxy/options.js';
export type { ProxyOptions } from './proxy/options.js';
export { createLogger, silentLogger } from './log.js';
export type { Logger } from './log.js';
export { createClientIpPolicy, clientIpPolicyFromFlags, parseTrustedProxies, parseTrustedHops, trustNoPeer, MAX_FORWARDED_ENTRIES } from './proxy/client-ip.js';
export type { ClientIpOptions } from './proxy/client-ip.js';
export { loadPlugins, loadFilterPlugins } from './plugins/load-plugins.js';
export type { LoadedPlugins } from './plugins/load-plugins.js';
export { ipFilterCallsFromNginxAnnotations } from '../filters/ip/nginx-annotations.js';
export { TOKEN_STATE_KEY, AUTH_USER_STATE_KEY } from '../filters/auth/token-state.js';
export type { TokenState } from '../filters/auth/token-state.js';
export { FLOW_ID_STATE_KEY } from '../filters/tracing/flow-id.js';
export { REQUEST_ID_STATE_KEY } from '../filters/tracing/request-id.js';
export { expectCount, stringArg, nonEmptyStringArg, allStringArgs, numberArg, integerArg, regexpArg, regexpSourceArg, templateArg, describeArg } from './args.js';
