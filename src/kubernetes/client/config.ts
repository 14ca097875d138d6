/**
 * Finds out how to reach the Kubernetes API: --kubeconfig FILE, then KUBECONFIG, then the
 * in-cluster service account, then ~/.kube/config. KubeConfig from @kubernetes/client-node
 * parses the files; the result is plain connection data for our own HTTP layer, which
 * accepts http:// servers as well as https://.
 */

import { readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import type { Cluster, User } from '@kubernetes/client-node';
import { ErrorCode, SkiffError } from '../../errors.js';
import { basicAuth, delegatedAuth, noCredentials, staticToken, tokenFile } from './credentials.js';
import type { KubeCredentials } from './credentials.js';

export interface KubeConnection {
  /** Where the configuration came from. */
  readonly source: 'kubeconfig' | 'KUBECONFIG' | 'in-cluster' | 'default';
  /** Server URL without a trailing slash; it may carry a path prefix (API proxies do). */
  readonly server: string;
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly rejectUnauthorized: boolean;
  readonly servername?: string;
  /** Namespace of the selected context, if it names one. */
  readonly namespace?: string;
  /** Headers sent on every request besides Authorization (impersonation). */
  readonly headers: Readonly<Record<string, string>>;
  readonly credentials: KubeCredentials;
}

export interface LoadKubeConnectionOptions {
  /** --kubeconfig: a kubeconfig file that wins over everything else. */
  readonly kubeconfig?: string;
  /** A context to use instead of the file's current-context. */
  readonly context?: string;
  /** Prefix for the service account files (/var/run/secrets/...); for tests. */
  readonly inClusterRoot?: string;
  /** How long a token read from a file is trusted before it is read again. */
  readonly tokenTtlMs?: number;
}

function invalid(message: string, cause?: unknown): SkiffError {
  return new SkiffError(ErrorCode.InvalidOption, `kubernetes config: ${message}`, { cause });
}

function fileOrData(file: string | undefined | null, data: string | undefined | null): Buffer | undefined {
  if (file) return readFileSync(file);
  if (data) return Buffer.from(data, 'base64');
  return undefined;
}

function credentialsFor(config: KubeConfig, user: User | null, tokenTtlMs: number | undefined): KubeCredentials {
  if (!user) return noCredentials;
  const providerTokenFile: unknown = user.authProvider?.config?.tokenFile;
  if (typeof providerTokenFile === 'string' && providerTokenFile) return tokenFile(providerTokenFile, tokenTtlMs);
  if (user.exec || user.authProvider) return delegatedAuth(config);
  if (user.token) return staticToken(user.token);
  if (user.username) return basicAuth(user.username, user.password ?? '');
  return noCredentials;
}

function load(options: LoadKubeConnectionOptions): { config: KubeConfig; source: KubeConnection['source'] } {
  const config = new KubeConfig();
  if (options.kubeconfig) {
    config.loadFromFile(options.kubeconfig);
    return { config, source: 'kubeconfig' };
  }
  if (process.env['KUBECONFIG']) {
    config.loadFromDefault();
    return { config, source: 'KUBECONFIG' };
  }
  if (process.env['KUBERNETES_SERVICE_HOST'] && process.env['KUBERNETES_SERVICE_PORT']) {
    config.loadFromCluster(options.inClusterRoot ?? '');
    return { config, source: 'in-cluster' };
  }
  config.loadFromDefault();
  return { config, source: 'default' };
}

export function loadKubeConnection(options: LoadKubeConnectionOptions = {}): KubeConnection {
  let loaded: ReturnType<typeof load>;
  try {
    loaded = load(options);
  } catch (err) {
    throw invalid(`cannot load: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  const { config, source } = loaded;
  if (options.context) {
    if (!config.getContextObject(options.context)) throw invalid(`context ${options.context} not found`);
    config.setCurrentContext(options.context);
  }
  const cluster: Cluster | null = config.getCurrentCluster();
  if (!cluster || !cluster.server) throw invalid('no cluster in the current context');
  let url: URL;
  try {
    url = new URL(cluster.server);
  } catch (err) {
    throw invalid(`bad server URL ${cluster.server}`, err);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(`unsupported server scheme ${url.protocol}`);
  const user = config.getCurrentUser();
  const context = config.getContextObject(config.getCurrentContext());
  try {
    const headers: Record<string, string> = {};
    if (user?.impersonateUser) headers['Impersonate-User'] = user.impersonateUser;
    const ca = fileOrData(cluster.caFile, cluster.caData);
    const cert = fileOrData(user?.certFile, user?.certData);
    const key = fileOrData(user?.keyFile, user?.keyData);
    const namespace = context?.namespace?.trim();
    return {
      source,
      server: `${url.origin}${url.pathname.replace(/\/+$/, '')}`,
      ...(ca ? { ca } : {}),
      ...(cert ? { cert } : {}),
      ...(key ? { key } : {}),
      rejectUnauthorized: !cluster.skipTLSVerify,
      ...(cluster.tlsServerName ? { servername: cluster.tlsServerName } : {}),
      ...(namespace ? { namespace } : {}),
      headers,
      credentials: credentialsFor(config, user, options.tokenTtlMs),
    };
  } catch (err) {
    throw invalid(`cannot read credentials: ${err instanceof Error ? err.message : String(err)}`, err);
  }
}
