/**
 * Which peers may speak for the client, and so which address is "the client". The proxy asks
 * this once per request; predicates, filters, logs and metrics then read RequestView.clientIp.
 * The default trusts no peer: the client is the TCP peer and X-Forwarded-For is only data.
 */

export interface ClientIpPolicy {
  /** Whether X-Forwarded-* headers from this peer are believed. */
  trusts(peer: string): boolean;
  /** The client address for this request, or null when it cannot be known. */
  resolve(peer: string, xff: string | string[] | undefined): string | null;
}

export const trustNoPeer: ClientIpPolicy = Object.freeze({
  trusts: () => false,
  resolve: (peer: string) => (peer === '' ? null : peer),
});
