/**
 * `skiff` as a process: parse the command line, build the configuration, start, and turn
 * SIGTERM into the drain sequence (SIGINT drains without the delay, for a terminal).
 */
import { readFileSync } from 'node:fs';
import { parseCommandLine, usage, type CliOptions } from './options.js';
import { createSkiff, type ListenerConfig, type SkiffConfig } from '../skiff.js';
import { RoutesFileSource } from '../sources/routes-file.js';
import { createLogger, type Logger } from '../log.js';
import { SkiffError } from '../errors.js';
import type { RouteSourceHandle } from '../sources/source.js';
import { IngressRoutes } from '../sources/kubernetes.js';
import { IngressDirWatch } from '../sources/ingress-dir.js';
import { ApiSnapshotProvider, kubeLoggerFrom } from '../kubernetes/source.js';
import { IngressStatusWriter } from '../kubernetes/status.js';

export async function main(argv: readonly string[]): Promise<number> {
  let opts: CliOptions;
  try {
    opts = parseCommandLine(argv);
  } catch (err) {
    process.stderr.write(`skiff: ${(err as Error).message}\n`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(usage());
    return 0;
  }
  if (opts.version) {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const log = createLogger(opts.logLevel);
  let config: SkiffConfig;
  try {
    config = configFrom(opts, log);
  } catch (err) {
    process.stderr.write(`skiff: ${(err as Error).message}\n`);
    return 2;
  }
  const skiff = createSkiff(config);
  try {
    await skiff.start();
  } catch (err) {
    const msg = err instanceof SkiffError ? `${err.code}: ${err.message}` : (err as Error).message;
    log.error('start failed', { error: msg });
    await skiff.stop({ drainDelayMs: 0 }).catch(() => undefined);
    return 1;
  }
  return new Promise<number>((resolve) => {
    const shutdown = (signal: string, delay: number | undefined): void => {
      log.info('signal received', { signal });
      skiff.stop(delay === undefined ? undefined : { drainDelayMs: delay }).then(
        () => resolve(0),
        (err: unknown) => {
          log.error('shutdown failed', { error: String(err) });
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => shutdown('SIGTERM', undefined));
    process.once('SIGINT', () => shutdown('SIGINT', 0));
  });
}

export function configFrom(opts: CliOptions, log: Logger): SkiffConfig {
  const shared: RouteSourceHandle[] = [];
  if (opts.routesFiles.length > 0) shared.push(new RoutesFileSource(opts.routesFiles, log));
  const ingress = ingressRoutesFrom(opts, log);
  // Routes files are shared by every listener; Ingress routes go only to the listener of their class.
  const listeners: ListenerConfig[] = [
    {
      name: 'default',
      host: opts.address.host,
      port: opts.address.port,
      ...(ingress !== null ? { sources: [ingress.sourceFor('default', opts.ingressClasses)] } : {}),
    },
    ...opts.listeners.map((l) => ({
      name: l.name,
      host: l.address.host,
      port: l.address.port,
      ...(ingress !== null ? { sources: [ingress.sourceFor(l.name, l.classes)] } : {}),
    })),
  ];
  if (shared.length === 0 && ingress === null) {
    throw new SkiffError('SKIFF_ERR_INVALID_OPTION', 'no route source: give --routes-file, --ingress-dir or --kubernetes');
  }
  return {
    listeners,
    support: opts.supportAddress,
    sources: shared,
    proxy: {
      xff: opts.xff,
      preserveHost: opts.preserveHost,
      connectTimeoutMs: opts.connectTimeoutMs,
      headersTimeoutMs: opts.headersTimeoutMs,
      bodyIdleTimeoutMs: opts.bodyIdleTimeoutMs,
      keepAliveTimeoutMs: opts.keepAliveTimeoutMs,
      maxConnectionsPerEndpoint: opts.maxConnectionsPerEndpoint,
    },
    log,
    drainDelayMs: opts.drainDelayMs,
    shutdownDeadlineMs: opts.shutdownDeadlineMs,
  };
}

/** The Ingress route sources of --ingress-dir or --kubernetes, or null when neither is given. */
function ingressRoutesFrom(opts: CliOptions, log: Logger): IngressRoutes | null {
  if (opts.ingressDir !== null && opts.kubernetes) {
    throw new SkiffError('SKIFF_ERR_INVALID_OPTION', '--ingress-dir and --kubernetes cannot be combined: read Ingresses from a directory or from the API, not both');
  }
  const names = new Set(['default']);
  for (const l of opts.listeners) {
    if (names.has(l.name)) throw new SkiffError('SKIFF_ERR_INVALID_OPTION', `--listener ${l.name}: the listener name is already taken`);
    names.add(l.name);
  }
  if (opts.ingressDir !== null) {
    if (opts.publishStatusAddress !== null) log.warn('--publish-status-address is ignored with --ingress-dir (there is no API to write to)');
    return new IngressRoutes(new IngressDirWatch(opts.ingressDir, { log }), { log });
  }
  if (!opts.kubernetes) {
    if (opts.listeners.length > 0) log.warn('--listener without --ingress-dir or --kubernetes serves only the routes files');
    return null;
  }
  const logger = kubeLoggerFrom(log);
  const provider = ApiSnapshotProvider.connect({ ...(opts.kubeconfig !== null ? { kubeconfig: opts.kubeconfig } : {}), logger });
  const status =
    opts.publishStatusAddress !== null && provider.client !== undefined
      ? new IngressStatusWriter({ client: provider.client, addresses: opts.publishStatusAddress, logger })
      : undefined;
  return new IngressRoutes(provider, { log, ...(status !== undefined ? { status } : {}) });
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
