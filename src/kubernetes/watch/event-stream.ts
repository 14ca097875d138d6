/**
 * Splits a watch response body into events. The API server writes one JSON object per line
 * over a chunked response; a chunk may end mid-line or mid-character, so bytes are decoded
 * as a stream and lines are cut only at newlines.
 */

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  readonly type: WatchEventType;
  readonly object: unknown;
}

/** A line longer than this means a broken server; the stream is dropped and retried. */
const MAX_LINE_CHARS = 64 * 1024 * 1024;

const TYPES: ReadonlySet<string> = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

/** Bad JSON throws (the stream is corrupt); an event of a type we do not know is skipped. */
function parseLine(line: string): WatchEvent | undefined {
  const parsed: unknown = JSON.parse(line);
  if (typeof parsed !== 'object' || parsed === null) throw new Error('watch event is not an object');
  const { type, object } = parsed as { type?: unknown; object?: unknown };
  if (typeof type !== 'string' || !TYPES.has(type)) return undefined;
  return { type: type as WatchEventType, object };
}

export async function* watchEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<WatchEvent> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  for await (const chunk of body) {
    pending += decoder.decode(chunk, { stream: true });
    let start = 0;
    let newline = pending.indexOf('\n');
    while (newline !== -1) {
      const line = pending.slice(start, newline).trim();
      start = newline + 1;
      const event = line ? parseLine(line) : undefined;
      if (event) yield event;
      newline = pending.indexOf('\n', start);
    }
    pending = pending.slice(start);
    if (pending.length > MAX_LINE_CHARS) throw new Error('watch event line too long');
  }
  const rest = (pending + decoder.decode()).trim();
  const last = rest ? parseLine(rest) : undefined;
  if (last) yield last;
}
