/**
 * How requests to the API server authenticate: a static bearer token, a token file that is
 * read again periodically (bound service account tokens rotate about hourly), basic auth, or
 * the kubeconfig's own authenticators (exec plugins, OIDC, cloud providers) through KubeConfig.
 */

import { readFile } from 'node:fs/promises';
import type { KubeConfig } from '@kubernetes/client-node';

export interface KubeCredentials {
  /** What this connection authenticates with, for logs and tests. */
  readonly kind: 'none' | 'token' | 'token-file' | 'basic' | 'delegated';
  /** The Authorization header value, or undefined when none is needed (client certificates). */
  authorization(): Promise<string | undefined>;
  /** Drop any cached token so the next request reads it again (after a 401). */
  invalidate(): void;
}

export const noCredentials: KubeCredentials = {
  kind: 'none',
  authorization: () => Promise.resolve(undefined),
  invalidate() {},
};

export function staticToken(token: string): KubeCredentials {
  const header = `Bearer ${token.trim()}`;
  return { kind: 'token', authorization: () => Promise.resolve(header), invalidate() {} };
}

export function basicAuth(username: string, password: string): KubeCredentials {
  const header = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  return { kind: 'basic', authorization: () => Promise.resolve(header), invalidate() {} };
}

/**
 * A token read from a file and read again once it is older than ttlMs, the way client-go
 * treats projected service account tokens: the kubelet rewrites the file before expiry.
 */
export function tokenFile(path: string, ttlMs = 60_000, now: () => number = Date.now): KubeCredentials {
  let cached: string | undefined;
  let readAt = 0;
  return {
    kind: 'token-file',
    async authorization() {
      if (cached === undefined || now() - readAt >= ttlMs) {
        const token = (await readFile(path, 'utf8')).trim();
        cached = `Bearer ${token}`;
        readAt = now();
      }
      return cached;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

/**
 * Lets KubeConfig compute the header for users whose auth needs its authenticators (exec,
 * OIDC, azure, gcp). Those authenticators cache and refresh tokens themselves. KubeConfig
 * only hands out headers together with an https agent, which we discard: it is why this
 * path needs an https server.
 */
export function delegatedAuth(config: KubeConfig): KubeCredentials {
  return {
    kind: 'delegated',
    async authorization() {
      const opts: { headers?: Record<string, unknown>; auth?: string } = {};
      await config.applyToHTTPSOptions(opts);
      const value = opts.headers?.['Authorization'] ?? opts.headers?.['authorization'];
      if (typeof value === 'string') return value;
      if (opts.auth) return `Basic ${Buffer.from(opts.auth).toString('base64')}`;
      return undefined;
    },
    invalidate() {},
  };
}
