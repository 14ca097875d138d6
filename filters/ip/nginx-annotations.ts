/**
 * The ingress-nginx source-range annotations as IP list filter calls, for Ingresses that move
 * from ingress-nginx unchanged:
 *   nginx.ingress.kubernetes.io/whitelist-source-range: "10.0.0.0/8,192.168.1.7"
 *   nginx.ingress.kubernetes.io/denylist-source-range: "192.0.2.0/24"
 * (`allowlist-source-range` is read as a synonym of `whitelist-source-range`).
 */
import type { Call } from '../../src/eskip/definition.js';
import { ErrorCode, SkiffError } from '../../src/errors.js';
import { CidrSet } from '../../src/net/cidr-set.js';
import { IpAllowList, IpDenyList } from '../names.js';

export const NginxWhitelistSourceRange = 'nginx.ingress.kubernetes.io/whitelist-source-range';
export const NginxAllowlistSourceRange = 'nginx.ingress.kubernetes.io/allowlist-source-range';
export const NginxDenylistSourceRange = 'nginx.ingress.kubernetes.io/denylist-source-range';

/**
 * The filter calls the annotations ask for: `ipDenyList(...)` then `ipAllowList(...)`, each
 * with one comma-free entry per argument; none for absent or blank annotations. Throws
 * SkiffError InvalidIngress naming the annotation when an entry is not an address or CIDR
 * block: a range that cannot be applied must not be dropped silently.
 */
export function ipFilterCallsFromNginxAnnotations(annotations: Readonly<Record<string, string | undefined>>): Call[] {
  const calls: Call[] = [];
  const deny = entries(annotations, NginxDenylistSourceRange);
  if (deny.length > 0) calls.push({ name: IpDenyList, args: deny });
  // both spellings given: one list (two allow filters in a row would only admit their intersection)
  const allow = [...entries(annotations, NginxWhitelistSourceRange), ...entries(annotations, NginxAllowlistSourceRange)];
  if (allow.length > 0) calls.push({ name: IpAllowList, args: allow });
  return calls;
}

function entries(annotations: Readonly<Record<string, string | undefined>>, key: string): string[] {
  const value = annotations[key];
  if (value === undefined) return [];
  const list = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  try {
    CidrSet.parse(list);
  } catch (err) {
    throw new SkiffError(ErrorCode.InvalidIngress, `annotation ${key}: ${(err as Error).message}`, { cause: err });
  }
  return list;
}
