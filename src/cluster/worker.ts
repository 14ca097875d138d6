/**
 * A worker of `--workers N`: serves the proxy listeners (the cluster module shares their
 * sockets) with routes the primary sends. It has no route sources and no support listener, and it
 * drains when the primary says so: signals go to the primary, which orchestrates the shutdown.
 */
import type { SkiffConfig } from '../skiff.js';
import type { Logger } from '../log.js';
import { createSkiff } from '../skiff.js';
import { ListenError } from '../listen-error.js';
import { RouteInbox, send } from './inbox.js';

export async function runWorker(config: SkiffConfig, log: Logger): Promise<number> {
  const inbox = new RouteInbox();
  const skiff = createSkiff({
    ...config,
    listeners: config.listeners.map((l) => ({ ...l, sources: [inbox.sourceFor(l.name)] })),
    sources: [],
    support: null,
  });
  // The primary decides when to stop; a terminal's Ctrl-C reaches the whole process group.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => {});
  return new Promise<number>((resolve) => {
    const stop = (delayMs: number): void => {
      skiff.stop({ drainDelayMs: delayMs }).then(
        () => resolve(0),
        (err: unknown) => {
          log.error('worker shutdown failed', { error: String(err) });
          resolve(1);
        },
      );
    };
    inbox.onDrain(stop);
    // The primary is gone (killed hard): finish what is in flight and leave.
    process.once('disconnect', () => stop(0));
    inbox.hello();
    skiff.start().then(
      () => {
        for (const [listener, a] of skiff.addresses) send({ skiff: 'listening', listener, host: a.host, port: a.port });
      },
      (err: unknown) => {
        if (err instanceof ListenError) {
          // Every replacement would fail alike: the primary stops the process. This worker waits
          // for its drain (or the primary's end) rather than exit, so its exit is never taken
          // for a crash before the message is read.
          log.error('worker cannot listen', { listener: err.listener, address: `${err.host}:${err.port}`, error: err.message });
          send({ skiff: 'cannot-listen', listener: err.listener, reason: err.message });
          return;
        }
        log.error('worker start failed', { error: String(err) });
        resolve(1);
      },
    );
  });
}
