import { describe, expect, it } from 'vitest';
import { inlineContentIfStatus } from '../../../filters/status/inline-content-if-status.js';
import type { Arg } from '../../../src/spec.js';
import { createFilter, filterContext, runRequest, runResponse } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';

describe('inlineContentIfStatus: arguments', () => {
  it.each([
    [[]],
    [[404]],
    [['404', 'x']],
    [[99, 'x']],
    [[600, 'x']],
    [[404.5, 'x']],
    [[404, 1]],
    [[404, 'x', 1]],
    [[404, 'x', '']],
    [[404, 'x', 'text/plain\r\nX: 1']],
    [[404, 'x', 'text/plain', 'y']],
  ] as Arg[][][])('rejects %j', (args) => {
    expectInvalidArgs(inlineContentIfStatus, args);
  });
});

describe('inlineContentIfStatus', () => {
  it('replaces the body of a response with the status, setting type and length', () => {
    const filter = createFilter(inlineContentIfStatus, 404, '{"error":"not found"}', 'application/problem+json');
    const ctx = runRequest(filter, filterContext());
    expect(ctx.served).toBe(false);
    const res = runResponse(filter, ctx, {
      status: 404,
      headers: {
        'content-type': 'text/html',
        'content-length': '1234',
        'content-encoding': 'gzip',
        'x-backend': 'kept',
        etag: '"abc"',
      },
    });
    expect(res.status).toBe(404);
    expect(res.headers).toEqual({
      'content-type': 'application/problem+json',
      'content-length': '21',
      'x-backend': 'kept',
      etag: '"abc"',
    });
    expect(Buffer.isBuffer(res.body)).toBe(true);
    expect((res.body as Buffer).toString()).toBe('{"error":"not found"}');
  });

  it.each([200, 403, 405, 500])('leaves a %i response alone', (status) => {
    const filter = createFilter(inlineContentIfStatus, 404, 'gone');
    const ctx = runRequest(filter, filterContext());
    const res = runResponse(filter, ctx, { status, headers: { 'content-type': 'text/html', 'content-encoding': 'br' } });
    expect(res.body).toBeUndefined();
    expect(res.headers).toEqual({ 'content-type': 'text/html', 'content-encoding': 'br' });
  });

  it('replaces the body of a local reply with the status', () => {
    const filter = createFilter(inlineContentIfStatus, 503, 'Grüße');
    const ctx = filterContext();
    ctx.serve({ status: 503, headers: { 'content-type': 'text/plain' }, body: 'Service Unavailable\n' });
    const res = runResponse(filter, ctx);
    expect((res.body as Buffer).toString()).toBe('Grüße');
    expect(res.headers['content-length']).toBe('7');
  });

  it.each([
    ['<p>missing</p>', 'text/html; charset=utf-8'],
    ['{"a":1}', 'application/json; charset=utf-8'],
    ['plain', 'text/plain; charset=utf-8'],
  ])('sniffs the type of %j as %s without a content type', (body, type) => {
    const filter = createFilter(inlineContentIfStatus, 404, body);
    const res = runResponse(filter, filterContext(), { status: 404 });
    expect(res.headers['content-type']).toBe(type);
  });

  it('serves an empty body with length 0', () => {
    const res = runResponse(createFilter(inlineContentIfStatus, 500, ''), filterContext(), { status: 500 });
    expect(res.headers['content-length']).toBe('0');
    expect((res.body as Buffer).length).toBe(0);
  });
});
