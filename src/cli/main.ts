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
  const listeners: ListenerConfig[] = [{ name: 'default', host: opts.address.host, port: opts.address.port }];
  if (shared.length === 0) {
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

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
