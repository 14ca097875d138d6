/** Starts skiff on ephemeral loopback ports with routes given as eskip text. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSkiff, type Skiff, type SkiffConfig } from '../../src/skiff.js';
import { RoutesFileSource } from '../../src/sources/routes-file.js';
import { silentLogger } from '../../src/log.js';

export interface RunningSkiff {
  skiff: Skiff;
  url: string;
  port: number;
  supportUrl: string;
  routesFile: string;
  stop(): Promise<void>;
}

export async function startSkiff(routes: string, extra: Partial<SkiffConfig> = {}): Promise<RunningSkiff> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-test-'));
  const routesFile = join(dir, 'routes.eskip');
  await writeFile(routesFile, routes);
  const log = extra.log ?? silentLogger;
  const skiff = createSkiff({
    listeners: [{ name: 'default', host: '127.0.0.1', port: 0 }],
    support: { host: '127.0.0.1', port: 0 },
    sources: [new RoutesFileSource([routesFile], log, 20)],
    log,
    shutdownDeadlineMs: 2000,
    ...extra,
  });
  await skiff.start();
  const addr = skiff.addresses.get('default')!;
  return {
    skiff,
    url: `http://127.0.0.1:${addr.port}`,
    port: addr.port,
    supportUrl: `http://127.0.0.1:${skiff.supportAddress!.port}`,
    routesFile,
    stop: () => skiff.stop({ drainDelayMs: 0 }),
  };
}
