/**
 * The eskip route language: definition types, parser and printer. Other modules import eskip
 * through this file.
 */
export type { Arg, BackendDefinition, Call, RegexpArg, RouteDefinition, RouteFailure } from './definition.js';
export { isRegexpArg } from './definition.js';
export { EskipParseError } from './lexer.js';
export { parseFilters, parsePredicates, parseRoute, parseRoutes } from './parser.js';
export type { PrintOptions } from './printer.js';
export {
  printArg,
  printBackend,
  printCall,
  printFilters,
  printNumber,
  printPredicates,
  printRegexp,
  printRoute,
  printRouteExpression,
  printRoutes,
  printString,
} from './printer.js';
