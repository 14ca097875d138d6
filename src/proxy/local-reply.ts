/**
 * Replies skiff writes itself: errors (short text body, as Skipper writes them), shunted routes
 * and filters that answer. All of them carry the Server header and an exact Content-Length.
 */
import type { ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';

export function statusText(status: number): string {
  return STATUS_CODES[status] ?? 'Unknown';
}

/** The body of an error reply: the status text and a newline, `text/plain`. */
export function writeErrorReply(res: ServerResponse, status: number, serverName: string, close = false): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = statusText(status) + '\n';
  const headers: Record<string, string | number> = {
    'content-type': 'text/plain; charset=utf-8',
    'x-content-type-options': 'nosniff',
    'content-length': Buffer.byteLength(body),
    server: serverName,
  };
  if (close) headers.connection = 'close';
  res.writeHead(status, headers);
  res.end(body);
}

export function writeLocalReply(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | string[]>,
  body: string | Buffer | undefined,
  serverName: string,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  for (const name in headers) res.setHeader(name, headers[name]!);
  if (!res.hasHeader('server')) res.setHeader('server', serverName);
  const payload = body ?? '';
  const bodyAllowed = status >= 200 && status !== 204 && status !== 304 && res.req.method !== 'HEAD';
  if (bodyAllowed || res.req.method === 'HEAD') {
    res.setHeader('content-length', Buffer.byteLength(payload));
  }
  res.writeHead(status);
  res.end(bodyAllowed ? payload : undefined);
}
