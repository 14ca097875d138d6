/**
 * The worker's end of the IPC channel, attached before anything else so that no message from the
 * primary is lost: it keeps the latest definitions per listener and hands them to the listener's
 * route source whenever it subscribes.
 */
import type { RouteSourceHandle, SourceUpdate } from '../sources/source.js';
import { isPrimaryMessage, type WorkerMessage } from './messages.js';

export class RouteInbox {
  private readonly latest = new Map<string, SourceUpdate>();
  private readonly subscribers = new Map<string, (u: SourceUpdate) => void>();
  private drainHandler: ((delayMs: number) => void) | null = null;
  private readonly onMessage = (m: unknown): void => {
    if (!isPrimaryMessage(m)) return;
    if (m.skiff === 'routes') {
      const update = { routes: m.routes, invalid: m.invalid };
      this.latest.set(m.listener, update);
      this.subscribers.get(m.listener)?.(update);
    } else if (m.skiff === 'drain') {
      this.drainHandler?.(m.delayMs);
    }
  };

  constructor() {
    process.on('message', this.onMessage);
  }

  /** Tells the primary this worker listens for routes now. */
  hello(): void {
    send({ skiff: 'ready' });
  }

  onDrain(handler: (delayMs: number) => void): void {
    this.drainHandler = handler;
  }

  sourceFor(listener: string): RouteSourceHandle {
    return {
      name: 'primary',
      start: (onUpdate) =>
        new Promise<void>((resolve) => {
          const deliver = (u: SourceUpdate): void => {
            onUpdate(u);
            resolve();
          };
          this.subscribers.set(listener, deliver);
          const known = this.latest.get(listener);
          if (known !== undefined) deliver(known);
        }),
      stop: async () => {
        this.subscribers.delete(listener);
      },
    };
  }

  close(): void {
    process.off('message', this.onMessage);
  }
}

export function send(message: WorkerMessage): void {
  if (process.send !== undefined && process.connected) process.send(message);
}
