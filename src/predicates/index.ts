/**
 * The built-in predicates, as one explicit list. A program that embeds the router registers
 * these, then its own specs, in the same Registry; a later spec of the same name replaces one.
 */
import type { PredicateSpec } from '../spec.js';
import { falseSpec, trueSpec, weightSpec } from './constant.js';
import { cookieSpec } from './cookie.js';
import { headerRegexpSpec, headerSpec } from './header.js';
import { hostAnySpec, hostSpec } from './host.js';
import { methodSpec, methodsSpec } from './method.js';
import { pathRegexpSpec, pathSpec, pathSubtreeSpec } from './path.js';
import { queryParamSpec } from './query.js';
import { clientIpSpec, sourceFromLastSpec, sourceSpec } from './source.js';
import { trafficSpec } from './traffic.js';

export { PredicateName } from './names.js';

export function builtinPredicates(): PredicateSpec[] {
  return [
    pathSpec,
    pathSubtreeSpec,
    pathRegexpSpec,
    hostSpec,
    hostAnySpec,
    methodSpec,
    methodsSpec,
    headerSpec,
    headerRegexpSpec,
    cookieSpec,
    queryParamSpec,
    clientIpSpec,
    sourceSpec,
    sourceFromLastSpec,
    trafficSpec,
    weightSpec,
    trueSpec,
    falseSpec,
  ];
}
