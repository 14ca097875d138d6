/**
 * The worker's end of the IPC channel, attached before anything else so that no message from the
 * primary is lost: it keeps the latest definitions per listener and hands them to the listener's
 * route source whenever it subscribes.
 */
import type { RouteSourceHandle, SourceUpdate } from '../sources/source.js';
import { isPrimaryMessage, type WorkerMessage } from './messages.js';
import { applyRoutesMessage, type RouteSet } from './route-delta.js';

export class RouteInbox {
  private readonly latest = new Map<string, RouteSet>();
  private readonly subscribers = new Map<string, (u: SourceUpdate) => void>();
  private drainHandler: ((delayMs: number) => void) | null = null;
  private readonly onMessage = (m: unknown): void => {
    if (!isPrimaryMessage(m)) return;
    if (m.skiff === 'routes' || m.skiff === 'routes-changed') {
      const set = applyRoutesMessage(this.latest.get(m.listener), m);
      if (set === undefined) {
        // a change to a list this worker does not hold: ask for the whole list
        send({ skiff: 'resend', listener: m.listener });
        return;
      }
      this.latest.set(m.listener, set);
      this.subscribers.get(m.listener)?.({ routes: set.routes, invalid: set.invalid });
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
          if (known !== undefined) deliver({ routes: known.routes, invalid: known.invalid });
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
