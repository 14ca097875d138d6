import { describe, expect, it } from 'vitest';
import { corsOrigin } from '../../../filters/cors/cors-origin.js';
import type { Arg } from '../../../src/spec.js';
import { createFilter, filterContext, runRequest, runResponse } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';

describe('corsOrigin: arguments', () => {
  it.each([[[1]], [['https://a.example', 2]], [[{ regexp: 'x' }]]] as Arg[][][])('rejects %j', (args) => {
    expectInvalidArgs(corsOrigin, args);
  });

  it('has the name Skipper registers', () => {
    expect(corsOrigin.name).toBe('corsOrigin');
  });
});

function respond(args: Arg[], requestHeaders: Record<string, string>, responseHeaders: Record<string, string | string[]> = {}) {
  const filter = createFilter(corsOrigin, ...args);
  const ctx = runRequest(filter, filterContext({ headers: requestHeaders }));
  return runResponse(filter, ctx, { headers: { ...responseHeaders } }).headers;
}

describe('corsOrigin()', () => {
  it('allows any origin with *', () => {
    expect(respond([], {})['access-control-allow-origin']).toBe('*');
    expect(respond([], { origin: 'https://x.example' })['access-control-allow-origin']).toBe('*');
  });

  it("adds * to a value the backend sent, as Skipper's Header.Add does", () => {
    expect(respond([], {}, { 'access-control-allow-origin': 'https://b.example' })['access-control-allow-origin']).toEqual([
      'https://b.example',
      '*',
    ]);
  });

  it('does not change an array of the response it was given', () => {
    const values = ['https://b.example'];
    const headers = respond([], {}, { 'access-control-allow-origin': values });
    expect(headers['access-control-allow-origin']).toEqual(['https://b.example', '*']);
    expect(values).toEqual(['https://b.example']);
  });

  it('does nothing in the request phase', () => {
    const ctx = runRequest(createFilter(corsOrigin), filterContext({ headers: { origin: 'https://a.example' } }));
    expect(ctx.served).toBe(false);
    expect(ctx.outgoing.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('corsOrigin("origin", ...)', () => {
  const allowed: Arg[] = ['https://a.example', 'https://b.example:8443'];

  it.each([
    // [request Origin, expected header]
    ['https://a.example', 'https://a.example'],
    ['https://b.example:8443', 'https://b.example:8443'],
    ['https://b.example', undefined],
    ['https://A.example', undefined],
    ['https://a.example/', undefined],
    ['http://a.example', undefined],
    ['null', undefined],
  ])('Origin %j gives %j', (origin, expected) => {
    expect(respond(allowed, { origin })['access-control-allow-origin']).toBe(expected);
  });

  it('sets nothing without an Origin', () => {
    expect(respond(allowed, {})).not.toHaveProperty('access-control-allow-origin');
  });

  it('sets nothing for an empty Origin, even when "" is listed', () => {
    expect(respond(['', 'https://a.example'], { origin: '' })).not.toHaveProperty('access-control-allow-origin');
  });

  it("replaces the backend's value when the Origin is listed", () => {
    const headers = respond(allowed, { origin: 'https://a.example' }, { 'access-control-allow-origin': '*' });
    expect(headers['access-control-allow-origin']).toBe('https://a.example');
  });

  it("leaves the backend's value when the Origin is not listed", () => {
    const headers = respond(allowed, { origin: 'https://evil.example' }, { 'access-control-allow-origin': '*' });
    expect(headers['access-control-allow-origin']).toBe('*');
  });

  it('reads the Origin as earlier filters left it', () => {
    const filter = createFilter(corsOrigin, ...allowed);
    const ctx = filterContext({ headers: { origin: 'https://evil.example' } });
    ctx.outgoing.headers.origin = 'https://a.example';
    runRequest(filter, ctx);
    expect(runResponse(filter, ctx).headers['access-control-allow-origin']).toBe('https://a.example');
  });

  it('adds no Vary header (neither does Skipper)', () => {
    expect(respond(allowed, { origin: 'https://a.example' })).not.toHaveProperty('vary');
  });
});
