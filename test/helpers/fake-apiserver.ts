/**
 * A Kubernetes API server stand-in on 127.0.0.1 for tests: LIST with resourceVersion and
 * limit/continue paging, WATCH as a chunked stream of JSON lines from a resourceVersion, with
 * BOOKMARK events, timeoutSeconds and a history window (410 Gone when it is expired), the
 * status subresource of Ingresses by merge patch, and switches to fail on demand.
 */

import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type FakeKind = 'ingresses' | 'services' | 'endpointslices' | 'ingressclasses';

interface KindInfo {
  readonly kind: string;
  readonly apiVersion: string;
  readonly apiPath: string;
  readonly namespaced: boolean;
}

const KINDS: Readonly<Record<FakeKind, KindInfo>> = {
  ingresses: { kind: 'Ingress', apiVersion: 'networking.k8s.io/v1', apiPath: '/apis/networking.k8s.io/v1', namespaced: true },
  services: { kind: 'Service', apiVersion: 'v1', apiPath: '/api/v1', namespaced: true },
  endpointslices: { kind: 'EndpointSlice', apiVersion: 'discovery.k8s.io/v1', apiPath: '/apis/discovery.k8s.io/v1', namespaced: true },
  ingressclasses: { kind: 'IngressClass', apiVersion: 'networking.k8s.io/v1', apiPath: '/apis/networking.k8s.io/v1', namespaced: false },
};

export interface FakeObject {
  metadata: { name: string; namespace?: string; resourceVersion?: string; uid?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly kind: FakeKind | undefined;
  readonly namespace: string | undefined;
  readonly watch: boolean;
  readonly headers: http.IncomingHttpHeaders;
  readonly at: number;
}

export interface RecordedStatusPatch {
  readonly namespace: string;
  readonly name: string;
  readonly contentType: string | undefined;
  readonly body: unknown;
}

export interface FakeApiServerOptions {
  /** Send a BOOKMARK to watches that asked for them this often; 0 (default) sends none by itself. */
  readonly bookmarkIntervalMs?: number;
  /** How a watch from an expired resourceVersion is answered: an ERROR event (as the real server does) or HTTP 410. */
  readonly goneAs?: 'event' | 'status';
  /** When set, every request must carry "Authorization: Bearer <token>". */
  readonly token?: string;
}

type DownMode = 'reset' | 'error' | 'hang';
type RequestClass = 'list' | 'watch' | 'patch' | 'any';

interface HistoryEvent {
  readonly rv: number;
  readonly kind: FakeKind;
  readonly namespace: string | undefined;
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: FakeObject;
}

interface Watcher {
  readonly kind: FakeKind;
  readonly namespace: string | undefined;
  readonly res: http.ServerResponse;
  readonly bookmarks: boolean;
  stalled: boolean;
  timer: NodeJS.Timeout | undefined;
}

interface Route {
  readonly kind: FakeKind;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly subresource: string | undefined;
}

function keyOf(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

function statusBody(code: number, reason: string, message: string): object {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function reasonFor(code: number): string {
  switch (code) {
    case 401:
      return 'Unauthorized';
    case 404:
      return 'NotFound';
    case 410:
      return 'Expired';
    case 429:
      return 'TooManyRequests';
    default:
      return code >= 500 ? 'InternalError' : 'BadRequest';
  }
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return structuredClone(patch);
  const out: Record<string, unknown> =
    typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function parseRoute(pathname: string): Route | undefined {
  const parts = pathname.split('/').filter((p) => p.length > 0).map(decodeURIComponent);
  let rest: string[];
  let apiPath: string;
  if (parts[0] === 'api' && parts[1] === 'v1') {
    apiPath = '/api/v1';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    apiPath = `/apis/${parts[1]}/${parts[2]}`;
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const plural = rest[0];
  const kind = (Object.keys(KINDS) as FakeKind[]).find((k) => k === plural && KINDS[k].apiPath === apiPath);
  if (!kind) return undefined;
  return { kind, namespace, name: rest[1], subresource: rest[2] };
}

export class FakeApiServer {
  readonly requests: RecordedRequest[] = [];
  readonly statusPatches: RecordedStatusPatch[] = [];
  /** TCP connections accepted, including those reset while down. */
  connections = 0;

  private readonly server: http.Server;
  private readonly options: FakeApiServerOptions;
  private readonly objects = new Map<FakeKind, Map<string, FakeObject>>();
  private history: HistoryEvent[] = [];
  private rv = 1;
  private historyStart = 1;
  private readonly watchers = new Set<Watcher>();
  private readonly sockets = new Set<Socket>();
  private readonly held = new Set<http.ServerResponse>();
  private readonly pages = new Map<string, { items: FakeObject[]; rv: number; offset: number; kind: FakeKind }>();
  private failures: { count: number; status: number; what: RequestClass; kind: FakeKind | undefined } | undefined;
  private down: DownMode | undefined;
  private bookmarkTimer: NodeJS.Timeout | undefined;
  private baseUrl = '';

  private constructor(options: FakeApiServerOptions) {
    this.options = options;
    for (const kind of Object.keys(KINDS) as FakeKind[]) this.objects.set(kind, new Map());
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (socket: Socket) => {
      this.connections++;
      if (this.down === 'reset') {
        socket.destroy();
        return;
      }
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(options: FakeApiServerOptions = {}): Promise<FakeApiServer> {
    const fake = new FakeApiServer(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    const { port } = fake.server.address() as AddressInfo;
    fake.baseUrl = `http://127.0.0.1:${port}`;
    if (options.bookmarkIntervalMs) {
      fake.bookmarkTimer = setInterval(() => fake.bookmark(), options.bookmarkIntervalMs);
    }
    return fake;
  }

  get url(): string {
    return this.baseUrl;
  }

  /** The latest resourceVersion handed out. */
  get resourceVersion(): number {
    return this.rv;
  }

  get activeWatches(): number {
    return this.watchers.size;
  }

  /** Requests seen by the HTTP layer, optionally only of one class. */
  count(what: RequestClass = 'any', kind?: FakeKind): number {
    return this.requests.filter((r) => (kind === undefined || r.kind === kind) && this.matches(r, what)).length;
  }

  // ---- objects ----

  /**
   * With `announceAs: 'MODIFIED'` the creation is told to watches (and kept in the history) as
   * a MODIFIED event: a watcher gets an object it never saw ADDED.
   */
  create(kind: FakeKind, obj: FakeObject, options: { announceAs?: 'ADDED' | 'MODIFIED' } = {}): FakeObject {
    const store = this.store(kind);
    const key = keyOf(obj.metadata.namespace, obj.metadata.name);
    if (store.has(key)) throw new Error(`${kind} ${key} exists`);
    const stored = this.stamp(kind, structuredClone(obj), randomUUID());
    store.set(key, stored);
    this.record(kind, options.announceAs ?? 'ADDED', stored);
    return structuredClone(stored);
  }

  update(kind: FakeKind, obj: FakeObject): FakeObject {
    const store = this.store(kind);
    const key = keyOf(obj.metadata.namespace, obj.metadata.name);
    const old = store.get(key);
    if (!old) throw new Error(`${kind} ${key} not found`);
    const stored = this.stamp(kind, structuredClone(obj), old.metadata.uid ?? randomUUID());
    store.set(key, stored);
    this.record(kind, 'MODIFIED', stored);
    return structuredClone(stored);
  }

  delete(kind: FakeKind, namespace: string | undefined, name: string): void {
    const store = this.store(kind);
    const key = keyOf(namespace, name);
    const old = store.get(key);
    if (!old) throw new Error(`${kind} ${key} not found`);
    store.delete(key);
    this.rv++;
    const gone = { ...structuredClone(old), metadata: { ...old.metadata, resourceVersion: String(this.rv) } };
    this.record(kind, 'DELETED', gone);
  }

  get(kind: FakeKind, namespace: string | undefined, name: string): FakeObject | undefined {
    const obj = this.store(kind).get(keyOf(namespace, name));
    return obj ? structuredClone(obj) : undefined;
  }

  /** Every stored object of a kind, sorted by namespace/name, as watches and gets see them. */
  objectsOf(kind: FakeKind): FakeObject[] {
    return [...this.store(kind).entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, o]) => structuredClone(o));
  }

  // ---- failure controls ----

  /** The next n requests of the given class (and kind, if given) are answered with this status. */
  failNext(n: number, status = 500, what: RequestClass = 'any', kind?: FakeKind): void {
    this.failures = { count: n, status, what, kind };
  }

  /** Cuts every open watch connection without ending the response (a dropped stream). */
  dropWatches(): void {
    for (const w of [...this.watchers]) {
      this.closeWatcher(w);
      w.res.socket?.destroy();
    }
  }

  /** Ends every open watch cleanly, as a server-side timeout does. */
  endWatches(): void {
    for (const w of [...this.watchers]) {
      this.closeWatcher(w);
      w.res.end();
    }
  }

  /** Open watches stop receiving anything but stay connected (a half-open connection). */
  stallWatches(): void {
    for (const w of this.watchers) w.stalled = true;
  }

  /** Sends a BOOKMARK with the current resourceVersion to every watch that allows them. */
  bookmark(): void {
    for (const w of this.watchers) {
      if (w.bookmarks && !w.stalled) this.send(w, 'BOOKMARK', this.bookmarkObject(w.kind));
    }
  }

  /** Writes text as it is (no newline added) to every open watch of a kind: garbage, half a line, a made-up event. */
  writeToWatches(kind: FakeKind, text: string): void {
    for (const w of this.watchers) {
      if (w.kind === kind && !w.stalled && !w.res.writableEnded && !w.res.destroyed) w.res.write(text);
    }
  }

  /**
   * Sends the kept events after resourceVersion `from` again to every open watch of a kind, as
   * a server whose watch cache lags behind does: old events, old resourceVersions, in order.
   */
  replay(kind: FakeKind, from: number): void {
    for (const w of this.watchers) {
      if (w.kind !== kind || w.stalled) continue;
      for (const e of this.history) if (e.rv > from && this.watches(w, e)) this.send(w, e.type, e.object);
    }
  }

  /** The oldest resourceVersion a watch can still start from. */
  get historyStartsAt(): number {
    return this.historyStart;
  }

  /**
   * Forgets the event history, so that every resourceVersion handed out so far is too old
   * to watch from. With endWatches, open watches get an ERROR 410 event and end.
   */
  expireHistory(options: { endWatches?: boolean } = {}): void {
    this.rv++;
    this.historyStart = this.rv;
    this.history = [];
    this.pages.clear();
    if (options.endWatches) {
      for (const w of [...this.watchers]) {
        this.send(w, 'ERROR', statusBody(410, 'Expired', 'too old resource version'));
        this.closeWatcher(w);
        w.res.end();
      }
    }
  }

  /**
   * Takes the API away: 'reset' closes every connection as soon as it opens, 'error' answers
   * 500, 'hang' accepts requests and never answers. Open connections are cut.
   */
  goDown(mode: DownMode = 'reset'): void {
    this.down = mode;
    for (const w of [...this.watchers]) this.closeWatcher(w);
    for (const socket of this.sockets) socket.destroy();
  }

  comeUp(): void {
    this.down = undefined;
    for (const res of this.held) res.socket?.destroy();
    this.held.clear();
  }

  async close(): Promise<void> {
    if (this.bookmarkTimer) clearInterval(this.bookmarkTimer);
    for (const w of [...this.watchers]) this.closeWatcher(w);
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- internals ----

  private store(kind: FakeKind): Map<string, FakeObject> {
    const store = this.objects.get(kind);
    if (!store) throw new Error(`unknown kind ${kind}`);
    return store;
  }

  private stamp(kind: FakeKind, obj: FakeObject, uid: string): FakeObject {
    this.rv++;
    const info = KINDS[kind];
    obj.apiVersion = info.apiVersion;
    obj.kind = info.kind;
    obj.metadata = { creationTimestamp: new Date(0).toISOString(), ...obj.metadata, uid, resourceVersion: String(this.rv) };
    if (!info.namespaced) delete obj.metadata.namespace;
    return obj;
  }

  /** Keeps the event (at the current resourceVersion) and sends it to matching watches. */
  private record(kind: FakeKind, type: HistoryEvent['type'], object: FakeObject): void {
    const event: HistoryEvent = { rv: this.rv, kind, namespace: object.metadata.namespace, type, object: structuredClone(object) };
    this.history.push(event);
    for (const w of this.watchers) {
      if (this.watches(w, event) && !w.stalled) this.send(w, event.type, event.object);
    }
  }

  private watches(w: Watcher, e: HistoryEvent): boolean {
    return w.kind === e.kind && (w.namespace === undefined || w.namespace === e.namespace);
  }

  private bookmarkObject(kind: FakeKind): object {
    const info = KINDS[kind];
    return { kind: info.kind, apiVersion: info.apiVersion, metadata: { resourceVersion: String(this.rv) } };
  }

  private send(w: Watcher, type: string, object: unknown): void {
    if (!w.res.writableEnded && !w.res.destroyed) w.res.write(JSON.stringify({ type, object }) + '\n');
  }

  private closeWatcher(w: Watcher): void {
    if (w.timer) clearTimeout(w.timer);
    this.watchers.delete(w);
  }

  private matches(r: RecordedRequest, what: RequestClass): boolean {
    switch (what) {
      case 'any':
        return true;
      case 'watch':
        return r.watch;
      case 'list':
        return r.method === 'GET' && !r.watch && r.kind !== undefined;
      case 'patch':
        return r.method === 'PATCH';
    }
  }

  private reply(res: http.ServerResponse, code: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private fail(res: http.ServerResponse, code: number, message: string): void {
    this.reply(res, code, statusBody(code, reasonFor(code), message));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const route = parseRoute(url.pathname);
    const watch = url.searchParams.get('watch') === '1' || url.searchParams.get('watch') === 'true';
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      kind: route?.kind,
      namespace: route?.namespace,
      watch,
      headers: req.headers,
      at: Date.now(),
    };
    this.requests.push(recorded);

    if (this.down === 'hang') {
      this.held.add(res);
      return;
    }
    if (this.down === 'error') return this.fail(res, 500, 'server is down');
    if (
      this.failures &&
      this.failures.count > 0 &&
      this.matches(recorded, this.failures.what) &&
      (this.failures.kind === undefined || this.failures.kind === recorded.kind)
    ) {
      this.failures.count--;
      const status = this.failures.status;
      return this.fail(res, status, status === 410 ? 'too old resource version' : 'injected failure');
    }
    if (this.options.token && req.headers.authorization !== `Bearer ${this.options.token}`) {
      return this.fail(res, 401, 'Unauthorized');
    }
    if (!route) return this.fail(res, 404, `no route for ${url.pathname}`);

    if (req.method === 'GET' && watch) return this.watch(route, url.searchParams, res);
    if (req.method === 'GET' && !route.name) return this.list(route, url.searchParams, res);
    if (req.method === 'GET' && route.name && !route.subresource) {
      const obj = this.store(route.kind).get(keyOf(route.namespace, route.name));
      return obj ? this.reply(res, 200, obj) : this.fail(res, 404, 'not found');
    }
    if (req.method === 'PATCH' && route.kind === 'ingresses' && route.name && route.subresource === 'status') {
      return this.patchStatus(route, req, res);
    }
    return this.fail(res, 405, 'method not supported here');
  }

  private list(route: Route, query: URLSearchParams, res: http.ServerResponse): void {
    const info = KINDS[route.kind];
    const limit = Number(query.get('limit') ?? 0);
    const token = query.get('continue');
    let page: { items: FakeObject[]; rv: number; offset: number; kind: FakeKind };
    if (token) {
      const saved = this.pages.get(token);
      if (!saved) return this.fail(res, 410, 'the provided continue parameter is too old');
      this.pages.delete(token);
      page = saved;
    } else {
      const items = [...this.store(route.kind).entries()]
        .filter(([, o]) => route.namespace === undefined || o.metadata.namespace === route.namespace)
        .sort((a, b) => (a[0] < b[0] ? -1 : 1))
        .map(([, o]) => {
          // List items come without kind and apiVersion, as from the real server.
          const { kind: _kind, apiVersion: _apiVersion, ...rest } = structuredClone(o);
          return rest as FakeObject;
        });
      page = { items, rv: this.rv, offset: 0, kind: route.kind };
    }
    const end = limit > 0 ? Math.min(page.items.length, page.offset + limit) : page.items.length;
    const metadata: Record<string, string> = { resourceVersion: String(page.rv) };
    if (end < page.items.length) {
      const next = randomUUID();
      this.pages.set(next, { ...page, offset: end });
      metadata['continue'] = next;
    }
    this.reply(res, 200, {
      kind: `${info.kind}List`,
      apiVersion: info.apiVersion,
      metadata,
      items: page.items.slice(page.offset, end),
    });
  }

  private watch(route: Route, query: URLSearchParams, res: http.ServerResponse): void {
    const rvParam = query.get('resourceVersion');
    const from = rvParam ? Number(rvParam) : 0;
    const expired = from > 0 && from < this.historyStart;
    if (expired && this.options.goneAs === 'status') return this.fail(res, 410, `too old resource version: ${from}`);

    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    const w: Watcher = {
      kind: route.kind,
      namespace: route.namespace,
      res,
      bookmarks: query.get('allowWatchBookmarks') === 'true',
      stalled: false,
      timer: undefined,
    };
    if (expired) {
      this.send(w, 'ERROR', statusBody(410, 'Expired', `too old resource version: ${from} (${this.historyStart})`));
      res.end();
      return;
    }
    if (from === 0) {
      for (const obj of this.store(route.kind).values()) {
        if (route.namespace === undefined || obj.metadata.namespace === route.namespace) this.send(w, 'ADDED', obj);
      }
    } else {
      for (const e of this.history) if (e.rv > from && this.watches(w, e)) this.send(w, e.type, e.object);
    }
    this.watchers.add(w);
    const timeout = Number(query.get('timeoutSeconds') ?? 0);
    if (timeout > 0) {
      w.timer = setTimeout(() => {
        this.closeWatcher(w);
        res.end();
      }, timeout * 1000);
    }
    res.on('close', () => this.closeWatcher(w));
  }

  private patchStatus(route: Route, req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return this.fail(res, 400, 'bad JSON');
      }
      const name = route.name ?? '';
      const namespace = route.namespace ?? '';
      this.statusPatches.push({ namespace, name, contentType: req.headers['content-type'], body });
      if (req.headers['content-type'] !== 'application/merge-patch+json') return this.fail(res, 415, 'unsupported patch type');
      const store = this.store('ingresses');
      const key = keyOf(namespace, name);
      const old = store.get(key);
      if (!old) return this.fail(res, 404, 'not found');
      // The status subresource takes only the status part of a patch.
      const status = mergePatch(old['status'], (body as { status?: unknown }).status ?? {});
      const updated = this.stamp('ingresses', { ...structuredClone(old), status }, old.metadata.uid ?? randomUUID());
      store.set(key, updated);
      this.record('ingresses', 'MODIFIED', updated);
      this.reply(res, 200, updated);
    });
  }
}

export interface KubeconfigFile {
  readonly path: string;
  readonly dir: string;
  remove(): Promise<void>;
}

/** Writes a kubeconfig whose current context points at the given server URL. */
export async function writeKubeconfig(server: string, options: { token?: string; namespace?: string } = {}): Promise<KubeconfigFile> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-kubeconfig-'));
  const path = join(dir, 'config');
  const user: Record<string, string> = options.token ? { token: options.token } : {};
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'fake', cluster: { server } }],
    users: [{ name: 'tester', user }],
    contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'tester', ...(options.namespace ? { namespace: options.namespace } : {}) } }],
    'current-context': 'fake',
  };
  await writeFile(path, JSON.stringify(config, null, 2));
  return { path, dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
