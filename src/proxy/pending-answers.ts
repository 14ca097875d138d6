/**
 * Node answers the requests pipelined on a connection in order: the socket's current response
 * (`_httpMessage`), then each one queued behind it, handed the socket when the one before has
 * finished. What must come after all of them (the refusal of bytes the parser rejected, a
 * protocol switch asked for behind other requests) waits here, so that it never overtakes an
 * answer the client is still owed and never lands in the middle of one.
 */
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

type HttpSocket = Duplex & { _httpMessage?: ServerResponse | null };

/**
 * Calls `then` once the socket owes no answer to a complete request: at once when it owes none
 * (the usual case), else when the last of them has finished or the connection has gone. A
 * response whose own request is incomplete (its body refused midway) is not waited for.
 */
export function afterPendingAnswers(socket: Duplex, then: () => void): void {
  const pending = (socket as HttpSocket)._httpMessage;
  if (pending == null || pending.writableFinished || !pending.req.complete) {
    then();
    return;
  }
  let waited = false;
  const next = (): void => {
    if (waited) return;
    waited = true;
    // after Node's own 'finish' listener, which has handed the socket to the next response
    afterPendingAnswers(socket, then);
  };
  pending.once('finish', next);
  pending.once('close', next);
}

/** The response the socket is busy with, if any (headers may be on their way already). */
export function currentAnswer(socket: Duplex): ServerResponse | null {
  const current = (socket as HttpSocket)._httpMessage;
  return current == null || current.writableFinished ? null : current;
}
