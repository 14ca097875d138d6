/**
 * Ingress rule hosts as `Host(/regexp/)` predicates. A precise host gives Skipper's anchored literal
 * `^(www[.]example[.]org[.]?(:[0-9]+)?)$`; a wildcard `*.example.org` stands for exactly one DNS
 * label (`^[a-z0-9]([-a-z0-9]*[a-z0-9])?[.]example[.]org[.]?(:[0-9]+)?$`). Hosts are lower-cased here and the request hostname is lower-cased by the matcher, so the
 * comparison is case-insensitive.
 */
import type { Call } from '../../eskip/definition.js';
import { exactHostRegexp, wildcardHostRegexp } from '../../routing/host-pattern.js';
import { flat } from './flat.js';

const LABEL_RX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Labels as LABEL_RX, dot-separated; a `*` first label only with at least one label after it. */
const VALID_HOST_RX = /^(?:\*(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)+|[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*)$/;

export type HostCheck = { readonly ok: true; readonly host: string } | { readonly ok: false; readonly reason: string };

/**
 * Validates and normalises a rule host: lower-case, no trailing dot. Rejects what the API would
 * reject anyway (ports, IPs are left to the API server) so that a bad object cannot produce a regexp
 * that matches more than the host.
 */
export function checkHost(raw: string): HostCheck {
  let host = raw.trim().toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  // the whole name at once; the label by label walk below only finds the reason for a refusal
  if (VALID_HOST_RX.test(host)) return { ok: true, host };
  if (host === '') return { ok: false, reason: 'empty host' };
  const labels = host.split('.');
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (label === '*' && i === 0) {
      if (labels.length < 2) return { ok: false, reason: `host "${raw}": a wildcard needs a domain after "*."` };
      continue;
    }
    if (!LABEL_RX.test(label)) return { ok: false, reason: `host "${raw}" is not a valid DNS name or "*." wildcard` };
  }
  return { ok: true, host };
}

export function isWildcardHost(host: string): boolean {
  return host.startsWith('*.');
}

/**
 * The host regexp for a normalised host (see {@link checkHost}), in the shapes the matcher's host
 * index recognises, so that lookups go straight to the host's routes.
 */
export function hostRegexp(host: string): string {
  return isWildcardHost(host) ? wildcardHostRegexp(host.slice(2)).regexp : exactHostRegexp([host]).regexp;
}

export function hostPredicate(host: string): Call {
  // kept by every route of the host, and built by concatenation
  return { name: 'Host', args: [{ regexp: flat(hostRegexp(host)) }] };
}
