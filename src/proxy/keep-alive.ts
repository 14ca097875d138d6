/**
 * Downstream keep-alive: a connection left idle between requests for longer than the timeout
 * is closed. Node's server can do this itself (`server.keepAliveTimeout`), but it re-arms a
 * socket timer twice per request (cleared when a request arrives, set again when its response
 * finishes), about half a microsecond of every small proxied request in a profile of the
 * benchmark. Here a sweep visits each connection a few times per timeout instead, and the
 * request path does nothing at all.
 *
 * A connection is active at a sweep when it has read bytes since the previous one or has a
 * response in progress (`currentAnswer`, the socket's `_httpMessage` not yet finished). Its
 * idleness is counted from the first sweep that finds it inactive, since its last answer may
 * have ended just before that sweep; it is closed once a whole timeout has passed from there
 * with no activity. So no connection is closed before it has been idle for the full timeout,
 * and none stays open more than two sweep intervals longer.
 */
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { currentAnswer } from './pending-answers.js';

interface Watched {
  bytes: number;
  /** Time of the first sweep that found the connection inactive; 0 while it is active. */
  idleSince: number;
}

type HttpSocket = Duplex & { bytesRead?: number };

export class KeepAliveReaper {
  private readonly watched = new Map<HttpSocket, Watched>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    server: Server,
    private readonly timeoutMs: number,
  ) {
    // Node's own timer must stay off: it would cost the request path what this class saves.
    server.keepAliveTimeout = 0;
    server.on('connection', (socket: HttpSocket) => {
      this.watched.set(socket, { bytes: 0, idleSince: 0 });
      socket.once('close', () => this.watched.delete(socket));
    });
    this.timer = setInterval(() => this.sweep(Date.now()), sweepIntervalMs(timeoutMs));
    this.timer.unref();
    server.once('close', () => this.stop());
  }

  /** A connection the HTTP server no longer owns (upgraded, tunnelled) is not reaped. */
  release(socket: Duplex): void {
    this.watched.delete(socket as HttpSocket);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One pass over the connections at time `now` (ms); exposed for tests. */
  sweep(now: number): void {
    for (const [socket, w] of this.watched) {
      const bytes = socket.bytesRead ?? 0;
      if (bytes !== w.bytes || currentAnswer(socket) !== null) {
        w.bytes = bytes;
        w.idleSince = 0;
      } else if (w.idleSince === 0) {
        w.idleSince = now;
      } else if (now - w.idleSince >= this.timeoutMs) {
        this.watched.delete(socket);
        socket.destroy();
      }
    }
  }
}

/** A quarter of the timeout, between 10 ms and 1 s: closing at most two sweeps (2 s) late is plenty. */
export function sweepIntervalMs(timeoutMs: number): number {
  return Math.min(1000, Math.max(10, Math.floor(timeoutMs / 4)));
}
