/**
 * Downstream connections of this process, counted by every proxy listener: open now, and
 * refused because a listener was at --max-tcp-listener-concurrency. Plain numbers read by the
 * metrics at each scrape (src/metrics/connection-metrics.ts); a connection costs an increment
 * when it opens and a decrement when it closes, a request nothing.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface DownstreamConnectionCounts {
  /** Connections open now, upgraded ones (WebSockets) included. */
  open: number;
  /** Connections closed on arrival because their listener was full, since the start. */
  refused: number;
}

const counts: DownstreamConnectionCounts = { open: 0, refused: 0 };

export function downstreamConnectionCounts(): Readonly<DownstreamConnectionCounts> {
  return counts;
}

/**
 * Caps the server's connections at `max` (0: no cap) and counts them. Node closes a connection
 * that arrives while the server has `max` open, right after accepting it: the client sees its
 * connection closed (or reset) without an answer, and a load balancer in front tries another
 * target. It emits 'drop' for each.
 */
export function capConnections(server: Server, max: number): void {
  if (max > 0) server.maxConnections = max;
  server.on('connection', connectionOpened);
  server.on('drop', connectionRefused);
}

function connectionOpened(socket: Socket): void {
  counts.open++;
  socket.once('close', connectionClosed);
}

function connectionClosed(): void {
  counts.open--;
}

function connectionRefused(): void {
  counts.refused++;
}
