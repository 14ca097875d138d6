import { describe, expect, it } from 'vitest';
import { watchEvents } from '../../../src/kubernetes/watch/event-stream.js';
import type { WatchEvent } from '../../../src/kubernetes/watch/event-stream.js';

async function* chunks(parts: readonly (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield typeof p === 'string' ? new TextEncoder().encode(p) : p;
}

async function collect(parts: readonly (string | Uint8Array)[]): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  for await (const e of watchEvents(chunks(parts))) out.push(e);
  return out;
}

describe('watchEvents', () => {
  it('cuts events at newlines whatever the chunk boundaries', async () => {
    const a = JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'a' } } });
    const b = JSON.stringify({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '7' } } });
    const text = `${a}\n${b}\n`;
    for (let cut = 1; cut < text.length; cut += 7) {
      const events = await collect([text.slice(0, cut), text.slice(cut)]);
      expect(events.map((e) => e.type)).toEqual(['ADDED', 'BOOKMARK']);
    }
  });

  it('decodes a multi-byte character split across chunks', async () => {
    const line = new TextEncoder().encode(JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'ü-☃' } } }) + '\n');
    const at = line.indexOf(0xe2) + 1; // inside the three bytes of the snowman
    const events = await collect([line.slice(0, at), line.slice(at)]);
    expect((events[0]?.object as { metadata: { name: string } }).metadata.name).toBe('ü-☃');
  });

  it('reads a last line without newline, skips blank lines and unknown types', async () => {
    const events = await collect([
      '\n{"type":"ADDED","object":{}}\n\n{"type":"FUTURE","object":{}}\n',
      '{"type":"DELETED","object":{}}',
    ]);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'DELETED']);
  });

  it('throws on a truncated event so the stream is treated as dropped', async () => {
    await expect(collect(['{"type":"ADDED","object":{"metadata"'])).rejects.toThrow();
  });
});
