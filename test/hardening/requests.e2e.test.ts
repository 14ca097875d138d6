/**
 * Hostile request shapes, written byte by byte to a live skiff: smuggling vectors get one 4xx and
 * a closed connection while the backend receives nothing; shapes Node accepts but a proxy must
 * not pass on (duplicate Host, bad Host, underscores, fragments, TRACE/CONNECT) are refused by
 * the validation; normalised-but-valid inputs reach the backend framed once, bodies intact.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSkiff } from '../helpers/skiff.js';
import { rawExchange, recordingProxyForFile, startRecordingBackend } from './raw.js';

const t = recordingProxyForFile();

const chunkedTail = '3\r\nabc\r\n0\r\n\r\n';

/**
 * Vectors from the request-smuggling literature (CL.TE/TE.CL, the header-parsing CVEs of
 * Node's parser, and the "severe" class of the ALB's desync classifier), re-derived here.
 */
const smuggling: Record<string, string> = {
  'CL.TE': 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG',
  'TE.CL': 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n5c\r\nGPOST / HTTP/1.1\r\n\r\n0\r\n\r\n',
  'duplicate Content-Length, same value': 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc',
  'duplicate Content-Length, different values': 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde',
  'Content-Length: 3,3': 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3,3\r\n\r\nabc',
  'Content-Length: +3': 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +3\r\n\r\nabc',
  'Content-Length: -1': 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\nabc',
  'space before the colon': 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length : 3\r\n\r\nabc',
  'leading space before Content-Length': 'POST / HTTP/1.1\r\nHost: a\r\n Content-Length: 3\r\n\r\nabc',
  'tab after the name': 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length\t: 3\r\n\r\nabc',
  'Transfer-Encoding: xchunked': 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n' + chunkedTail,
  'Transfer-Encoding twice': 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n' + chunkedTail,
  'Transfer-Encoding: chunked, identity': 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n' + chunkedTail,
  'Transfer-Encoding with a vertical tab': 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\x0bchunked\r\n\r\n' + chunkedTail,
  'obs-fold': 'GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n',
  'obs-fold of Transfer-Encoding': 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n chunked\r\n\r\n' + chunkedTail,
  'bare LF line endings': 'GET / HTTP/1.1\nHost: a\nX-A: b\n\n',
  'bare CR inside a value': 'GET / HTTP/1.1\r\nHost: a\r\nX-A: b\rc\r\n\r\n',
  'NUL inside a value': 'GET / HTTP/1.1\r\nHost: a\r\nX-A: b\x00c\r\n\r\n',
  'chunk size 0x3': 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0x3\r\nabc\r\n0\r\n\r\n',
  'overflowing chunk size': 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffffff\r\nabc\r\n0\r\n\r\n',
  'chunk extension with bare LF': 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;x\nabc\r\n0\r\n\r\n',
  'chunk extension with bare CR': 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;x\rabc\r\n0\r\n\r\n',
  '20 KiB chunk extension': `POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;${'a'.repeat(20 * 1024)}\r\nabc\r\n0\r\n\r\n`,
  'header block ended by CR LF CR X': 'GET / HTTP/1.1\r\nHost: a\r\n\rX\r\n\r\n',
  'empty header name': 'GET / HTTP/1.1\r\nHost: a\r\n: x\r\n\r\n',
  'space inside the header name': 'GET / HTTP/1.1\r\nHost: a\r\nX A: b\r\n\r\n',
  'HTTP/1.1 without Host': 'GET / HTTP/1.1\r\nX-A: b\r\n\r\n',
};

describe('smuggling vectors', () => {
  afterEach(() => t.backend.reset());

  for (const [name, bytes] of Object.entries(smuggling)) {
    it(`${name}: one 400, connection closed, nothing reaches the backend`, async () => {
      const r = await rawExchange(t.proxy.port, bytes);
      expect(r.statuses, r.text).toEqual([400]);
      expect(r.closed).toBe(true);
      // Give an aborted upstream attempt time to show up, if there were one.
      await new Promise((res) => setTimeout(res, 50));
      expect(t.backend.bytes()).toBe(0);
      expect(t.backend.requests).toHaveLength(0);
    });
  }
});

describe('shapes Node accepts that skiff refuses', () => {
  afterEach(() => t.backend.reset());

  const refused: Record<string, [string, number]> = {
    'duplicate Host': ['GET / HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n', 400],
    'Host with a space': ['GET / HTTP/1.1\r\nHost: a b\r\n\r\n', 400],
    'Host with userinfo': ['GET / HTTP/1.1\r\nHost: user@a\r\n\r\n', 400],
    'empty Host on HTTP/1.1': ['GET / HTTP/1.1\r\nHost: \r\n\r\n', 400],
    'Host with a path': ['GET / HTTP/1.1\r\nHost: a/b\r\n\r\n', 400],
    'duplicate Authorization': ['GET / HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer x\r\nAuthorization: Bearer y\r\n\r\n', 400],
    'X_Forwarded_For': ['GET / HTTP/1.1\r\nHost: a\r\nX_Forwarded_For: 9.9.9.9\r\n\r\n', 400],
    'X-Jwt_Sub': ['GET / HTTP/1.1\r\nHost: a\r\nX-Jwt_Sub: admin\r\n\r\n', 400],
    'fragment in the target': ['GET /admin#x HTTP/1.1\r\nHost: a\r\n\r\n', 400],
    'absolute-form with userinfo': ['GET http://user@b.example/x HTTP/1.1\r\nHost: a\r\n\r\n', 400],
    TRACE: ['TRACE / HTTP/1.1\r\nHost: a\r\n\r\n', 405],
    CONNECT: ['CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n', 405],
    'OPTIONS *': ['OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n', 400],
    'a request with a body refused by validation': ['POST / HTTP/1.1\r\nHost: a\r\nHost: b\r\nContent-Length: 3\r\n\r\nabc', 400],
    'an upgrade with a duplicate Host': ['GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n', 400],
  };
  for (const [name, [bytes, status]] of Object.entries(refused)) {
    it(`${name}: ${status}, closed, backend sees nothing`, async () => {
      const r = await rawExchange(t.proxy.port, bytes);
      expect(r.statuses, r.text).toEqual([status]);
      expect(r.closed).toBe(true);
      await new Promise((res) => setTimeout(res, 30));
      expect(t.backend.bytes()).toBe(0);
    });
  }

  it('drops underscore fields instead when configured to', async () => {
    const dropping = await startSkiff(`all: * -> "${t.backend.url}";`, { proxy: { underscoreHeaders: 'drop' } });
    try {
      const r = await rawExchange(dropping.port, 'GET /d HTTP/1.1\r\nHost: a\r\nX_Forwarded_For: 9.9.9.9\r\nX-Jwt_Sub: admin\r\nX-Ok: 1\r\nConnection: close\r\n\r\n');
      expect(r.statuses).toEqual([200]);
      expect(t.backend.requests).toHaveLength(1);
      const seen = t.backend.requests[0]!;
      expect(seen.headers['x-ok']).toBe('1');
      expect(Object.keys(seen.headers).filter((n) => n.includes('_'))).toEqual([]);
      expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
      expect(t.backend.connections.join('')).not.toContain('9.9.9.9');
    } finally {
      await dropping.stop();
    }
  });
});

describe('absolute-form targets', () => {
  it('routes by the target authority and sends that authority as Host, with an origin-form path', async () => {
    const hosts = await startRecordingBackend();
    const routed = await startSkiff(`a: Host("^a[.]example$") -> "${hosts.url}"; b: Host("^b[.]example$") -> setRequestHeader("X-Route", "b") -> "${hosts.url}";`);
    try {
      const r = await rawExchange(routed.port, 'GET http://b.example/x?q=1 HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n');
      expect(r.statuses).toEqual([200]);
      expect(hosts.requests).toHaveLength(1);
      const seen = hosts.requests[0]!;
      expect(seen.headers['x-route']).toBe('b');
      expect(seen.headers.host).toBe('b.example');
      expect(seen.url).toBe('/x?q=1');
      expect(hosts.connections[0]).toMatch(/^GET \/x\?q=1 HTTP\/1\.1\r\n/);
      // An authority followed straight by the query still routes by the authority alone.
      const q = await rawExchange(routed.port, 'GET http://b.example?q=2 HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n');
      expect(q.statuses).toEqual([200]);
      expect(hosts.requests[1]!.headers.host).toBe('b.example');
      expect(hosts.requests[1]!.url).toBe('/?q=2');
    } finally {
      await routed.stop();
      await hosts.close();
    }
  });
});

describe('normalised but valid framing', () => {
  afterEach(() => t.backend.reset());

  /** Exactly one request line in everything the backend received. */
  function requestLines(): string[] {
    return (t.backend.connections.join('').match(/^[A-Z]+ \S+ HTTP\/1\.1\r$/gm) ?? []).map((l) => l.slice(0, -1));
  }

  it('Content-Length: 0003 arrives as content-length 3 with the same bytes', async () => {
    const r = await rawExchange(t.proxy.port, 'POST /cl HTTP/1.1\r\nHost: a\r\nContent-Length: 0003\r\nConnection: close\r\n\r\nabc');
    expect(r.statuses).toEqual([200]);
    expect(requestLines()).toEqual(['POST /cl HTTP/1.1']);
    const seen = t.backend.requests[0]!;
    expect(seen.headers['content-length']).toBe('3');
    expect(seen.body.toString()).toBe('abc');
  });

  for (const te of ['Chunked', 'identity, chunked', 'chunked ']) {
    it(`Transfer-Encoding: "${te}" arrives re-framed by skiff with the same body`, async () => {
      const r = await rawExchange(t.proxy.port, `POST /te HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ${te}\r\nConnection: close\r\n\r\n3\r\nabc\r\n4;ext=1\r\ndefg\r\n0\r\n\r\n`);
      expect(r.statuses).toEqual([200]);
      expect(requestLines()).toEqual(['POST /te HTTP/1.1']);
      const seen = t.backend.requests[0]!;
      // undici frames it: chunked, or a length when the whole body was already in; never both.
      const framing = [seen.headers['transfer-encoding'], seen.headers['content-length']];
      expect([['chunked', undefined], [undefined, '7']]).toContainEqual(framing);
      expect(seen.body.toString()).toBe('abcdefg');
      // The client's extension and spelling never cross: the framing is skiff's own.
      expect(t.backend.connections.join('')).not.toContain('ext=1');
    });
  }

  it('a GET with a Content-Length body forwards the body once', async () => {
    const r = await rawExchange(t.proxy.port, 'GET /g HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello');
    expect(r.statuses).toEqual([200]);
    expect(requestLines()).toEqual(['GET /g HTTP/1.1']);
    expect(t.backend.requests[0]!.body.toString()).toBe('hello');
    expect(t.backend.requests[0]!.headers['content-length']).toBe('5');
  });

  it('HTTP/1.0 with chunked: one request upstream, client connection closed after the response', async () => {
    const r = await rawExchange(t.proxy.port, 'POST /old HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n', { waitMs: 3000 });
    expect(r.statuses).toEqual([200]);
    expect(r.closed).toBe(true);
    expect(requestLines()).toEqual(['POST /old HTTP/1.1']);
    expect(t.backend.requests[0]!.body.toString()).toBe('abc');
  });

  it('pipelined requests stay separate: a body that looks like a request is only a body', async () => {
    const smuggled = 'GET /admin HTTP/1.1\r\nHost: a\r\n\r\n';
    const bytes =
      'GET /1 HTTP/1.1\r\nHost: a\r\n\r\n' +
      'GET /2 HTTP/1.1\r\nHost: a\r\n\r\n' +
      `POST /3 HTTP/1.1\r\nHost: a\r\nContent-Length: ${smuggled.length}\r\nConnection: close\r\n\r\n${smuggled}`;
    const r = await rawExchange(t.proxy.port, bytes, { waitMs: 3000 });
    expect(r.statuses).toEqual([200, 200, 200]);
    expect(t.backend.requests.map((q) => q.url)).toEqual(['/1', '/2', '/3']);
    expect(t.backend.requests[2]!.body.toString()).toBe(smuggled);
    // The smuggled text crossed once, as the POST's body right after its header block.
    const raw = t.backend.connections.join('');
    expect(raw.split('GET /admin').length - 1).toBe(1);
    expect(raw).toContain(`content-length: ${smuggled.length}\r\n\r\n${smuggled}`);
  });
});

describe('path tricks against an allow-listed route', () => {
  it('answers each with 400, 404 or the same 403 as /admin; the admin backend sees none', async () => {
    const admin = await startRecordingBackend();
    const pub = await startRecordingBackend();
    const guarded = await startSkiff(
      `admin: PathSubtree("/admin") -> ipAllowList("10.0.0.0/8") -> "${admin.url}";
       pub: PathSubtree("/public") -> "${pub.url}";`,
    );
    try {
      const plain = await rawExchange(guarded.port, 'GET /admin HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
      expect(plain.statuses).toEqual([403]);
      for (const target of ['/public/..%2fadmin', '/public/../admin', '//admin', '/admin%2F', '/%2e%2e/admin', '/admin#x', '/ADMIN', '/./admin', '/admin/', '/%61dmin']) {
        const r = await rawExchange(guarded.port, `GET ${target} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`);
        expect([400, 403, 404], `${target}: ${r.text}`).toContain(r.statuses[0]);
        expect(r.statuses).toHaveLength(1);
      }
      expect(admin.requests).toHaveLength(0);
      expect(admin.bytes()).toBe(0);
    } finally {
      await guarded.stop();
      await admin.close();
      await pub.close();
    }
  });
});
