/**
 * flowId, requestId, xforward and xforwardFirst: formats, reuse rules, state bag entries, and
 * how the X-Forwarded-For filters combine with the proxy's own append (append and keep modes).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { flowId, FLOW_ID_STATE_KEY, isValidFlowId, newFlowId } from '../../../filters/tracing/flow-id.js';
import { requestId, REQUEST_ID_STATE_KEY } from '../../../filters/tracing/request-id.js';
import { xforward, xforwardFirst } from '../../../filters/tracing/xforward.js';
import { createFilter, filterContext, runRequest } from '../../helpers/filter-context.js';
import { expectInvalidArgs } from '../expect-invalid.js';
import { startEcho, type Received, type TestServer } from '../../helpers/upstream.js';
import { startSkiff, type RunningSkiff } from '../../helpers/skiff.js';
import { json } from '../../helpers/http.js';

const flowIdShape = /^[0-9a-zA-Z+-]{16}$/;

describe('flowId', () => {
  it('makes 16-character ids from [0-9a-zA-Z+-], all different', () => {
    const seen = new Set<string>();
    const chars = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = newFlowId();
      expect(id).toMatch(flowIdShape);
      seen.add(id);
      for (const c of id) chars.add(c);
    }
    expect(seen.size).toBe(2000);
    // 32,000 draws from 64 symbols: every symbol shows up, '+' and '-' included
    expect(chars.size).toBe(64);
  });

  it('always writes a new id without "reuse", and records it in the state bag', () => {
    const ctx = runRequest(createFilter(flowId), filterContext({ headers: { 'x-flow-id': 'clientChosenFlowId' } }));
    const id = ctx.outgoing.headers['x-flow-id'] as string;
    expect(id).toMatch(flowIdShape);
    expect(id).not.toBe('clientChosenFlowId');
    expect(ctx.state.get(FLOW_ID_STATE_KEY)).toBe(id);
  });

  it('with "reuse", keeps a valid incoming id and replaces an invalid one', () => {
    const reuse = createFilter(flowId, 'reuse');
    for (const valid of ['abcd1234', 'A+-b'.repeat(16), 'Q2hhbmdlTWU+']) {
      const ctx = runRequest(reuse, filterContext({ headers: { 'x-flow-id': valid } }));
      expect(ctx.outgoing.headers['x-flow-id']).toBe(valid);
      expect(ctx.state.get(FLOW_ID_STATE_KEY)).toBe(valid);
    }
    for (const invalid of ['short', 'a'.repeat(65), 'has space in it', 'under_score_id', 'slash/slash/id', '']) {
      const ctx = runRequest(reuse, filterContext({ headers: { 'x-flow-id': invalid } }));
      expect(ctx.outgoing.headers['x-flow-id'], invalid).toMatch(flowIdShape);
    }
    expect(isValidFlowId('12345678')).toBe(true);
    expect(isValidFlowId('1234567')).toBe(false);
  });

  it('rejects other arguments', () => {
    expectInvalidArgs(flowId, ['always']);
    expectInvalidArgs(flowId, [1]);
    expectInvalidArgs(flowId, ['reuse', 'reuse']);
  });
});

describe('requestId', () => {
  const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('sets a UUID v4 when the request has none', () => {
    const ctx = runRequest(createFilter(requestId), filterContext());
    const id = ctx.outgoing.headers['x-request-id'] as string;
    expect(id).toMatch(uuidV4);
    expect(ctx.state.get(REQUEST_ID_STATE_KEY)).toBe(id);
    const other = runRequest(createFilter(requestId), filterContext());
    expect(other.outgoing.headers['x-request-id']).not.toBe(id);
  });

  it('keeps an id that is already there, and takes another header name', () => {
    const ctx = runRequest(createFilter(requestId), filterContext({ headers: { 'x-request-id': 'upstream-id-1' } }));
    expect(ctx.outgoing.headers['x-request-id']).toBe('upstream-id-1');
    expect(ctx.state.get(REQUEST_ID_STATE_KEY)).toBe('upstream-id-1');
    const named = runRequest(createFilter(requestId, 'X-Correlation-Id'), filterContext());
    expect(named.outgoing.headers['x-correlation-id']).toMatch(uuidV4);
    expect(named.outgoing.headers['x-request-id']).toBeUndefined();
  });

  it('rejects bad header names', () => {
    expectInvalidArgs(requestId, ['bad header']);
    expectInvalidArgs(requestId, ['a', 'b']);
  });
});

describe('xforward and xforwardFirst on their own', () => {
  it('append or prepend the peer when the proxy has not, and set X-Forwarded-Host', () => {
    // the test context starts from the client's headers: as the proxy in "keep" mode does
    const init = { remoteAddress: '192.0.2.1', host: 'shop.example.org', headers: { 'x-forwarded-for': '203.0.113.7' } };
    const appended = runRequest(createFilter(xforward), filterContext(init));
    expect(appended.outgoing.headers['x-forwarded-for']).toBe('203.0.113.7, 192.0.2.1');
    expect(appended.outgoing.headers['x-forwarded-host']).toBe('shop.example.org');
    const prepended = runRequest(createFilter(xforwardFirst), filterContext(init));
    expect(prepended.outgoing.headers['x-forwarded-for']).toBe('192.0.2.1, 203.0.113.7');
    const fresh = runRequest(createFilter(xforwardFirst), filterContext({ remoteAddress: '192.0.2.1' }));
    expect(fresh.outgoing.headers['x-forwarded-for']).toBe('192.0.2.1');
  });

  it('take no arguments', () => {
    expectInvalidArgs(xforward, ['x']);
    expectInvalidArgs(xforwardFirst, [1]);
  });
});

describe('xforward through the proxy', () => {
  type Echo = Received & { backend: string };
  let echo: TestServer;
  let proxy: RunningSkiff | undefined;

  beforeAll(async () => {
    echo = await startEcho();
  });
  afterAll(async () => {
    await echo.close();
  });
  afterEach(async () => {
    await proxy?.stop();
    proxy = undefined;
  });

  const routes = (url: string): string => `
    plain: Path("/plain") -> "${url}";
    last: Path("/last") -> xforward() -> "${url}";
    first: Path("/first") -> xforwardFirst() -> "${url}";
    ids: Path("/ids") -> flowId("reuse") -> requestId() -> "${url}";`;

  async function xff(path: string, sent?: string): Promise<Received['headers']> {
    const r = await json<Echo>(`${proxy!.url}${path}`, { headers: { host: 'shop.example.org', ...(sent === undefined ? {} : { 'x-forwarded-for': sent }) } });
    expect(r.status).toBe(200);
    return r.body.headers;
  }

  it('in append mode the peer appears once: xforward adds nothing, xforwardFirst moves it to the front', async () => {
    proxy = await startSkiff(routes(echo.url));
    expect((await xff('/plain', '203.0.113.7'))['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    expect((await xff('/last', '203.0.113.7'))['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    expect((await xff('/first', '203.0.113.7'))['x-forwarded-for']).toBe('127.0.0.1, 203.0.113.7');
    expect((await xff('/last'))['x-forwarded-for']).toBe('127.0.0.1');
    expect((await xff('/first'))['x-forwarded-host']).toBe('shop.example.org');
  });

  it('in keep mode xforward is what adds the peer', async () => {
    proxy = await startSkiff(routes(echo.url), { proxy: { xff: 'keep' } });
    expect((await xff('/plain', '203.0.113.7'))['x-forwarded-for']).toBe('203.0.113.7');
    expect((await xff('/last', '203.0.113.7'))['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    expect((await xff('/first', '203.0.113.7'))['x-forwarded-for']).toBe('127.0.0.1, 203.0.113.7');
    expect((await xff('/last'))['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('flowId and requestId reach the backend', async () => {
    proxy = await startSkiff(routes(echo.url));
    const h = await xff('/ids');
    expect(h['x-flow-id']).toMatch(flowIdShape);
    expect(h['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const r = await json<Echo>(`${proxy.url}/ids`, { headers: { 'x-flow-id': 'keepThisFlowId', 'x-request-id': 'rid-1' } });
    expect(r.body.headers['x-flow-id']).toBe('keepThisFlowId');
    expect(r.body.headers['x-request-id']).toBe('rid-1');
  });
});
