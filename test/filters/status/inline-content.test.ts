import { describe, expect, it } from 'vitest';
import { inlineContent, sniffContentType } from '../../../filters/status/inline-content.js';
import type { Arg } from '../../../src/spec.js';
import { createFilter, filterContext, runRequest } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';

describe('inlineContent: arguments', () => {
  it.each([[[]], [[1]], [['a', 'b', 'c']], [['a', 1]], [['a', '']], [['a', 'text/plain\r\nX: 1']]] as Arg[][][])(
    'rejects %j',
    (args) => {
      expectInvalidArgs(inlineContent, args);
    },
  );
});

describe('sniffContentType', () => {
  it.each([
    ['<html></html>', 'text/html; charset=utf-8'],
    ['  \n<p>hi</p>', 'text/html; charset=utf-8'],
    ['{"ok":true}', 'application/json; charset=utf-8'],
    ['[1,2]', 'application/json; charset=utf-8'],
    ['hello', 'text/plain; charset=utf-8'],
    ['', 'text/plain; charset=utf-8'],
  ])('%j is %s', (body, type) => {
    expect(sniffContentType(body)).toBe(type);
  });
});

describe('inlineContent', () => {
  it.each([
    // [args, content type, content length]
    [['Hello'], 'text/plain; charset=utf-8', '5'],
    [['<h1>Hi</h1>'], 'text/html; charset=utf-8', '11'],
    [['{"a":1}'], 'application/json; charset=utf-8', '7'],
    [['Grüße'], 'text/plain; charset=utf-8', '7'],
    [[''], 'text/plain; charset=utf-8', '0'],
    [['<b>', 'text/plain'], 'text/plain', '3'],
    [['x', 'application/x-custom'], 'application/x-custom', '1'],
  ] as [Arg[], string, string][])('%j serves %s with length %s', (args, type, length) => {
    const ctx = runRequest(createFilter(inlineContent, ...args), filterContext());
    expect(ctx.served).toBe(true);
    expect(ctx.reply?.status).toBe(200);
    expect(ctx.reply?.headers).toEqual({ 'content-type': type, 'content-length': length });
    const body = ctx.reply?.body;
    expect(Buffer.isBuffer(body)).toBe(true);
    expect((body as Buffer).toString('utf8')).toBe(args[0]);
    expect((body as Buffer).length).toBe(Number(length));
  });

  it('gives each reply its own headers, so response filters cannot leak across requests', () => {
    const filter = createFilter(inlineContent, 'x');
    const first = runRequest(filter, filterContext());
    // A proxy may hand the reply's own headers object to the response filters.
    first.reply!.headers!['x-added'] = '1';
    const second = runRequest(filter, filterContext());
    expect(second.reply?.headers?.['x-added']).toBeUndefined();
  });
});
