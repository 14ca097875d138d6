/**
 * Turns a backend definition into a compiled backend at table-build time: URLs parsed, the
 * load-balancing algorithm chosen, mixed schemes rejected.
 */
import type { BackendDefinition } from '../eskip/definition.js';
import type { Backend } from './backend.js';
import { createBalancer } from './balancer.js';
import { parseEndpoint } from './endpoint.js';
import { ErrorCode, SkiffError } from '../errors.js';

export function compileBackend(def: BackendDefinition): Backend {
  switch (def.type) {
    case 'network':
      return { type: 'network', endpoint: parseEndpoint(def.address) };
    case 'lb': {
      const endpoints = def.endpoints.map(parseEndpoint);
      const schemes = new Set(endpoints.map((e) => e.origin.slice(0, e.origin.indexOf(':'))));
      if (schemes.size > 1) {
        throw new SkiffError(ErrorCode.InvalidBackend, 'load-balancer endpoints cannot have mixed protocols');
      }
      return { type: 'lb', balancer: createBalancer(def.algorithm, endpoints), endpoints };
    }
    case 'shunt':
    case 'loopback':
    case 'dynamic':
      return { type: def.type };
    case 'forward':
      throw new SkiffError(ErrorCode.InvalidBackend, '<forward> backends need a forward backend URL, which skiff does not configure');
  }
}
