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
 * Caps the server's open connections at `max` (0: no cap) and counts them. A connection that
 * arrives while the server has `max` open is closed right after it was accepted: the client
 * sees its connection closed without an answer, and a load balancer in front tries another
 * target. Node's `server.maxConnections` would do the same in one process, but in a worker of
 * `--workers N` a connection it refuses goes back to the primary, which hands it to a worker
 * again at once: with every worker full, the primary and the workers spin at full CPU passing it
 * round. So the cap is kept here, after the worker has taken the connection.
 */
export function capConnections(server: Server, max: number): void {
  let open = 0;
  const closed = (): void => {
    open--;
    counts.open--;
  };
  server.on('connection', (socket: Socket) => {
    if (max > 0 && open >= max) {
      counts.refused++;
      socket.destroy();
      return;
    }
    open++;
    counts.open++;
    socket.once('close', closed);
  });
}
