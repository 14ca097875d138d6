/**
 * Bytes Node's HTTP parser refused (malformed request line or header, bad framing, header
 * overflow, a request deadline passed): skiff answers them once and closes the connection, and
 * never ahead of the answers it still owes for the complete requests before them on the same
 * connection. A pipelining client that sent a good request and then garbage must get the good
 * request's answer, not a 400 it would take for that request's (which the backend has executed).
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import { afterPendingAnswers, currentAnswer } from './pending-answers.js';

/** A complete reply written straight to the socket, for requests Node never handed over. */
export function rawReply(status: number): string {
  const text = http.STATUS_CODES[status] ?? 'Bad Request';
  return `HTTP/1.1 ${status} ${text}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${text.length + 1}\r\nconnection: close\r\n\r\n${text}\n`;
}

type HttpSocket = Socket & { [kRefusing]?: true };

const kRefusing = Symbol('skiff.refusing');

/** True once the parser refused bytes on this connection: nothing after them is handled. */
export function parserRefused(socket: Socket): boolean {
  return (socket as HttpSocket)[kRefusing] === true;
}

/** The server's 'clientError' listener. */
export function onClientError(err: NodeJS.ErrnoException, socket: HttpSocket): void {
  if (socket[kRefusing] === true) return; // more bytes after the first error: already handled
  if (!socket.writable || (err.code === 'ECONNRESET' && socket.bytesWritten === 0 && !socket.readable)) {
    socket.destroy();
    return;
  }
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  // No more bytes from this peer are worth reading, and none must reach a handler. When the
  // bad bytes follow a complete request still being answered (a pipelined request, or junk
  // after the last one), the answers owed go first, in order. A parse error in the body of a
  // request whose answer has begun leaves only a cut: a second status line would corrupt it.
  socket[kRefusing] = true;
  afterPendingAnswers(socket, () => refuse(socket, status));
}

/** Refuses and closes, unless the answer in progress has begun (then only a cut is honest). */
function refuse(socket: HttpSocket, status: number): void {
  const current = currentAnswer(socket);
  if (current !== null && current.headersSent) {
    socket.destroy();
    return;
  }
  if (socket.writable) socket.end(rawReply(status));
  socket.destroySoon();
}
