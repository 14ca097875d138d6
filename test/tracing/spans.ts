/** Reading finished spans from the in-memory exporter in the tracing end-to-end tests. */
import { expect } from 'vitest';
import type { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** At least `count` finished spans, waiting up to a second for them. */
export async function spansFor(exporter: InMemorySpanExporter, count: number): Promise<ReadableSpan[]> {
  // The proxy ends the spans when the response has been written, which can be just after the client has read it.
  for (let i = 0; i < 100; i++) {
    const spans = exporter.getFinishedSpans();
    if (spans.length >= count) return spans;
    await new Promise((r) => setTimeout(r, 10));
  }
  return exporter.getFinishedSpans();
}

/** The span called `name`; fails the test, naming the spans there are, when there is none. */
export function byName(spans: readonly ReadableSpan[], name: string): ReadableSpan {
  const s = spans.find((x) => x.name === name);
  expect(s, `span ${name} among ${spans.map((x) => x.name).join(', ')}`).toBeDefined();
  return s!;
}
