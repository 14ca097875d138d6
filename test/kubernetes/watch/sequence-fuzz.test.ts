/**
 * Random sequences of watch events against the fake API server, read the whole way through:
 * reflectors, ClusterWatch, the API snapshot provider and the Ingress route sources of two
 * listeners with different classes (incremental translation included). Objects come from a small pool of names in two namespaces,
 * so events collide; between them the streams are cut (some in the middle of a JSON line), the
 * history expires (410 as an ERROR event or as the HTTP status), bookmarks, old events replayed,
 * objects announced first by MODIFIED, DELETED events for objects that do not exist, malformed
 * lines and failing requests. Some objects have shapes the API server would refuse (manifests
 * can hold them). At random points and after each sequence, once the source has settled, the
 * routes and set-aside routes it handed on must be exactly what translate() makes of the
 * server's objects from scratch, with every served Ingress present either as routes or as
 * set-aside entries; nothing may have been logged as an error, thrown or rejected unhandled,
 * and the source must stop promptly in the middle of a relist.
 *
 * Only lies a correct client can recover from are told: a replay runs up to the present, an
 * unknown object is deleted with the current resourceVersion, and everything else is truthful
 * or breaks the stream (and so forces a resume or a relist). Bounded: fixed seeds, a fixed
 * number of sequences and operations. SEQ_SEEDS=1,2,3 runs 20 sequences of each seed instead,
 * to look further by hand.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../src/log.js';
import { ApiSnapshotProvider } from '../../../src/kubernetes/source.js';
import { translate } from '../../../src/kubernetes/translate/index.js';
import type { ClusterSnapshot, TranslationResult } from '../../../src/kubernetes/translate/index.js';
import { ClusterWatch } from '../../../src/kubernetes/watch/cluster-watch.js';
import type { KubeLogger } from '../../../src/kubernetes/client/logger.js';
import type { InvalidRoute } from '../../../src/routing/route.js';
import { IngressRoutes } from '../../../src/sources/kubernetes.js';
import type { SourceUpdate } from '../../../src/sources/source.js';
import type { FakeKind, FakeObject } from '../../helpers/fake-apiserver.js';
import { fastTuning, sleep, startHarness } from './support.js';
import type { Harness } from './support.js';

const NAMESPACES = ['a', 'b'] as const;
const INGRESSES = ['i1', 'i2', 'i3'] as const;
const SERVICES = ['s1', 's2'] as const;
const SLICES = ['e1', 'e2', 'e3'] as const;
const KINDS: readonly FakeKind[] = ['ingresses', 'services', 'endpointslices', 'ingressclasses'];
const CLASSES = ['skiff', 'ours'] as const;

// ---- objects ----

const ns = fc.constantFrom(...NAMESPACES);
const backendPort = fc.constantFrom<Record<string, unknown>>({ number: 80 }, { number: 80 }, { name: 'http' }, { name: 'http' }, { number: 8080 }, { number: 81 });
const ingressPath = fc.record({
  path: fc.constantFrom('/', '/api', '/api/v1', '/x'),
  pathType: fc.constantFrom('Prefix', 'Exact', 'ImplementationSpecific'),
  service: fc.constantFrom<string>(...SERVICES, ...SERVICES, 'missing'),
  port: backendPort,
});
const ingressSpec = fc.record({
  host: fc.constantFrom<string | undefined>('h1.example.org', 'h2.example.org', '*.example.org', undefined),
  paths: fc.array(ingressPath, { minLength: 1, maxLength: 3 }),
  // 'ours' is served only while an IngressClass of that name is the default with our controller,
  // and so is an Ingress without a class
  className: fc.constantFrom<string | undefined>('skiff', 'skiff', 'skiff', 'skiff', 'skiff', 'skiff', 'other', 'ours', undefined),
  second: fc.option(fc.record({ host: fc.constantFrom('h1.example.org', 'h3.example.org'), path: ingressPath }), { freq: 3 }),
  defaultBackend: fc.option(fc.constantFrom<string>(...SERVICES), { freq: 4 }),
  // wrong shapes and bad annotations: the Ingress, or some of its routes, must be set aside
  flaw: fc.constantFrom('none', 'none', 'none', 'none', 'none', 'none', 'none', 'none', 'none', 'none', 'port-as-text', 'bad-filter', 'unknown-filter', 'bad-weights', 'filter', 'weights', 'custom-routes', 'bad-custom-routes', 'annotation-number', 'rules-mapping'),
  age: fc.integer({ min: 0, max: 2 }),
});
type IngressSpec = typeof ingressSpec extends fc.Arbitrary<infer T> ? T : never;

function ingressObject(namespace: string, name: string, s: IngressSpec): FakeObject {
  const annotations: Record<string, string> = {};
  if (s.flaw === 'bad-filter') annotations['zalando.org/skipper-filter'] = 'setPath("/x" ->';
  if (s.flaw === 'unknown-filter') annotations['zalando.org/skipper-filter'] = 'noSuchFilter()';
  if (s.flaw === 'filter') annotations['zalando.org/skipper-filter'] = 'setRequestHeader("X-Seq", "1")';
  if (s.flaw === 'bad-weights') annotations['zalando.org/backend-weights'] = '{"s1": 50, ';
  if (s.flaw === 'weights') annotations['zalando.org/backend-weights'] = '{"s1": 70, "s2": 30}';
  if (s.flaw === 'custom-routes') annotations['zalando.org/skipper-routes'] = 'extra: Path("/extra") -> inlineContent("hi") -> <shunt>;';
  if (s.flaw === 'bad-custom-routes') annotations['zalando.org/skipper-routes'] = 'extra: Path("/extra" -> <shunt>;';
  if (s.flaw === 'annotation-number') (annotations as Record<string, unknown>)['zalando.org/skipper-loadbalancer'] = 5;
  const paths = s.paths.map((p, i) => ({
    path: p.path,
    pathType: p.pathType,
    backend: { service: { name: p.service, port: s.flaw === 'port-as-text' && i === 0 ? { number: '80' } : p.port } },
  }));
  const rules: Record<string, unknown>[] = [{ ...(s.host === undefined ? {} : { host: s.host }), http: { paths } }];
  if (s.second !== null) {
    const p = s.second.path;
    rules.push({ host: s.second.host, http: { paths: [{ path: p.path, pathType: p.pathType, backend: { service: { name: p.service, port: p.port } } }] } });
  }
  return {
    // creationTimestamp never changes on the server; a fixed one per name keeps it so
    metadata: { namespace, name, creationTimestamp: new Date(Date.UTC(2026, 0, 1 + s.age + name.charCodeAt(1))).toISOString(), annotations },
    spec: {
      ...(s.className === undefined ? {} : { ingressClassName: s.className }),
      rules: s.flaw === 'rules-mapping' ? { host: 'h1.example.org' } : rules,
      ...(s.defaultBackend === null ? {} : { defaultBackend: { service: { name: s.defaultBackend, port: { number: 80 } } } }),
    },
  };
}

const serviceSpec = fc.record({
  type: fc.constantFrom('ClusterIP', 'ClusterIP', 'ClusterIP', 'ClusterIP', 'ClusterIP', 'ExternalName'),
  targetPort: fc.constantFrom<number | string>(8080, 8080, 9090, 'web'),
  second: fc.boolean(),
  // shapes the API server would refuse (manifests can hold them): only the Ingresses using the
  // Service may be set aside
  hostile: fc.constantFrom<unknown>(...Array<undefined>(12).fill(undefined), { http: 80 }, [null], 'http'),
});
type ServiceSpec = typeof serviceSpec extends fc.Arbitrary<infer T> ? T : never;

function serviceObject(namespace: string, name: string, s: ServiceSpec): FakeObject {
  if (s.type === 'ExternalName') {
    return { metadata: { namespace, name }, spec: { type: 'ExternalName', externalName: `${name}.external.example`, ports: [{ name: 'http', port: 80 }] } };
  }
  const ports: Record<string, unknown>[] = [{ name: 'http', port: 80, targetPort: s.targetPort }];
  if (s.second) ports.push({ name: 'alt', port: 8080, targetPort: 8081 });
  return { metadata: { namespace, name }, spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', ports: s.hostile ?? ports } };
}

/** Endpoint lists of shapes the API server would refuse. */
const hostileEndpoints = fc.constantFrom<unknown>(...Array<undefined>(12).fill(undefined), [null], 'x', [{ addresses: 5 }], [{ addresses: ['10.0.9.9'], conditions: 'x' }]);

const sliceSpec = fc.record({
  service: fc.constantFrom<string>(...SERVICES),
  portName: fc.constantFrom('http', 'http', 'http', 'alt', undefined),
  port: fc.constantFrom(8080, 9090, 8081),
  endpoints: fc.array(
    fc.record({ ip: fc.integer({ min: 1, max: 4 }), ready: fc.constantFrom(true, true, true, false, undefined), terminating: fc.constantFrom(false, false, false, true) }),
    { maxLength: 4 },
  ),
  hostile: hostileEndpoints,
});
type SliceSpec = typeof sliceSpec extends fc.Arbitrary<infer T> ? T : never;

function endpointList(namespace: string, endpoints: SliceSpec['endpoints']): Record<string, unknown>[] {
  return endpoints.map((e) => ({ addresses: [`10.0.${namespace === 'a' ? 1 : 2}.${e.ip}`], conditions: { ready: e.ready, terminating: e.terminating } }));
}

function sliceObject(namespace: string, name: string, s: SliceSpec): FakeObject {
  return {
    metadata: { namespace, name, labels: { 'kubernetes.io/service-name': s.service } },
    addressType: 'IPv4',
    ports: [{ ...(s.portName === undefined ? {} : { name: s.portName }), port: s.port, protocol: 'TCP' }],
    endpoints: s.hostile ?? endpointList(namespace, s.endpoints),
  };
}

const classSpec = fc.record({
  isDefault: fc.boolean(),
  controller: fc.constantFrom('zalando.org/skiff', 'zalando.org/skipper', 'k8s.io/ingress-nginx'),
});
type ClassSpec = typeof classSpec extends fc.Arbitrary<infer T> ? T : never;

function classObject(name: string, s: ClassSpec): FakeObject {
  const annotations = s.isDefault ? { 'ingressclass.kubernetes.io/is-default-class': 'true' } : {};
  return { metadata: { name, annotations }, spec: { controller: s.controller } };
}

// ---- operations ----

const MALFORMED = [
  '{"type":"MODIFIED","object":{"metadata":{"name":"i1","namespace":"a"\n',
  'not json at all\n',
  '42\n',
  'null\n',
  '[]\n',
  '{"type":"SURPRISE","object":{}}\n',
  '{"type":"ADDED"}\n',
  '{"type":"MODIFIED","object":{"metadata":{"name":5}}}\n',
  '{"type":"ADDED","object":"a string"}\n',
  '{"type":"ADDED","object":{"metadata":{"name":"i1","namespace":{"x":1}}}}\n',
  '\n\n   \n',
  '{"type":"ADDED","object":{"metadata":{"name":"i1"',
];

const op = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('ingress' as const), ns, name: fc.constantFrom(...INGRESSES), spec: ingressSpec }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('service' as const), ns, name: fc.constantFrom(...SERVICES), spec: serviceSpec }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('slice' as const), ns, name: fc.constantFrom(...SLICES), spec: sliceSpec }) },
  // only the endpoints of an existing slice change (a scale-up, a pod going unready): the
  // translation takes its shortcuts here
  { weight: 6, arbitrary: fc.record({ op: fc.constant('endpoints' as const), ns, name: fc.constantFrom(...SLICES), endpoints: sliceSpec.map((x) => x.endpoints), hostile: hostileEndpoints }) },
  // a write that changes nothing but the resourceVersion (a status or label update elsewhere)
  { weight: 1, arbitrary: fc.record({ op: fc.constant('touch' as const), kind: fc.constantFrom(...KINDS), ns, pick: fc.nat(10) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('class' as const), name: fc.constantFrom(...CLASSES), spec: classSpec }) },
  // a delete of an object the server does not hold becomes a DELETED event for an unknown object
  { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), kind: fc.constantFrom(...KINDS), ns, pick: fc.nat(10) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('ghost' as const), kind: fc.constantFrom(...KINDS), ns, pick: fc.nat(10), ingress: ingressSpec, service: serviceSpec, slice: sliceSpec }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('cut' as const), kind: fc.constantFrom(...KINDS), clean: fc.boolean(), partial: fc.constantFrom('', '{"type":"ADDED","object":{"metad', '{"type":"DELETED"', '{') }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('gone' as const), how: fc.constantFrom('event', 'later', 'status') }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('bookmark' as const) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('replay' as const), kind: fc.constantFrom(...KINDS), back: fc.integer({ min: 0, max: 12 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('malformed' as const), kind: fc.constantFrom(...KINDS), line: fc.constantFrom(...MALFORMED) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('fail' as const), n: fc.integer({ min: 1, max: 3 }), status: fc.constantFrom(500, 503, 429), what: fc.constantFrom('list', 'watch', 'any') as fc.Arbitrary<'list' | 'watch' | 'any'> }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('error-event' as const), kind: fc.constantFrom(...KINDS), code: fc.constantFrom(500, 410) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('pause' as const), ms: fc.integer({ min: 0, max: 25 }) }) },
  // the table must have caught up here already, not only at the end
  { weight: 5, arbitrary: fc.record({ op: fc.constant('settle' as const) }) },
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

const sequence = fc.record({
  namespaced: fc.boolean(),
  // small pages: lists are paged while the objects change, and a page token can expire
  pageSize: fc.constantFrom(1, 2, 500),
  goneAs: fc.constantFrom<'event' | 'status'>('event', 'status'),
  initial: fc.array(op.filter((o) => o.op === 'ingress' || o.op === 'service' || o.op === 'slice' || o.op === 'class'), { minLength: 4, maxLength: 14 }),
  ops: fc.array(op, { minLength: 20, maxLength: 70 }),
});
type Sequence = typeof sequence extends fc.Arbitrary<infer T> ? T : never;

// ---- running one sequence ----

const poolOf = (kind: FakeKind): readonly string[] =>
  kind === 'ingresses' ? INGRESSES : kind === 'services' ? SERVICES : kind === 'endpointslices' ? SLICES : CLASSES;
const kindName: Record<FakeKind, string> = { ingresses: 'Ingress', services: 'Service', endpointslices: 'EndpointSlice', ingressclasses: 'IngressClass' };

function put(h: Harness, kind: FakeKind, obj: FakeObject, announceAs?: 'MODIFIED'): void {
  const exists = h.fake.get(kind, obj.metadata.namespace, obj.metadata.name) !== undefined;
  if (exists) h.fake.update(kind, obj);
  else h.fake.create(kind, obj, announceAs ? { announceAs } : {});
}

async function apply(h: Harness, o: Op): Promise<void> {
  const fake = h.fake;
  switch (o.op) {
    case 'ingress':
      return put(h, 'ingresses', ingressObject(o.ns, o.name, o.spec));
    case 'service':
      return put(h, 'services', serviceObject(o.ns, o.name, o.spec));
    case 'slice':
      return put(h, 'endpointslices', sliceObject(o.ns, o.name, o.spec));
    case 'endpoints': {
      const old = fake.get('endpointslices', o.ns, o.name);
      if (!old) return;
      return void fake.update('endpointslices', { ...old, endpoints: o.hostile ?? endpointList(o.ns, o.endpoints) });
    }
    case 'touch': {
      const pool = poolOf(o.kind);
      const namespace = o.kind === 'ingressclasses' ? undefined : o.ns;
      const old = fake.get(o.kind, namespace, pool[o.pick % pool.length]!);
      if (old) fake.update(o.kind, old);
      return;
    }
    case 'class':
      return put(h, 'ingressclasses', classObject(o.name, o.spec));
    case 'delete': {
      const pool = poolOf(o.kind);
      const name = pool[o.pick % pool.length]!;
      const namespace = o.kind === 'ingressclasses' ? undefined : o.ns;
      if (fake.get(o.kind, namespace, name)) return fake.delete(o.kind, namespace, name);
      // as the server would send it, at the current resourceVersion, for an object it does not hold
      const object = { kind: kindName[o.kind], metadata: { namespace, name: o.pick > 5 ? `ghost-${name}` : name, resourceVersion: String(fake.resourceVersion), uid: 'unknown' } };
      return fake.writeToWatches(o.kind, JSON.stringify({ type: 'DELETED', object }) + '\n');
    }
    case 'ghost': {
      const pool = poolOf(o.kind);
      const name = pool[o.pick % pool.length]!;
      if (o.kind === 'ingressclasses' || fake.get(o.kind, o.ns, name)) return;
      const obj =
        o.kind === 'ingresses' ? ingressObject(o.ns, name, o.ingress) : o.kind === 'services' ? serviceObject(o.ns, name, o.service) : sliceObject(o.ns, name, o.slice);
      return put(h, o.kind, obj, 'MODIFIED');
    }
    case 'cut':
      if (o.partial) fake.writeToWatches(o.kind, o.partial);
      if (o.clean) fake.endWatches();
      else fake.dropWatches();
      return;
    case 'gone':
      if (o.how === 'event') fake.expireHistory({ endWatches: true });
      else if (o.how === 'later') fake.expireHistory();
      else {
        fake.failNext(1, 410, 'watch');
        fake.endWatches();
      }
      return;
    case 'bookmark':
      return fake.bookmark();
    case 'replay':
      return fake.replay(o.kind, Math.max(fake.historyStartsAt - 1, fake.resourceVersion - o.back));
    case 'malformed':
      return fake.writeToWatches(o.kind, o.line);
    case 'fail':
      return fake.failNext(o.n, o.status, o.what);
    case 'error-event': {
      const status = { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: o.code, reason: o.code === 410 ? 'Expired' : 'InternalError', message: 'injected' };
      return fake.writeToWatches(o.kind, JSON.stringify({ type: 'ERROR', object: status }) + '\n');
    }
    case 'pause':
      return sleep(o.ms);
    case 'settle':
      return;
  }
}

/** What translate() makes of the server's objects, as the source hands it on. */
function truth(h: Harness, classes: readonly string[] = ['skiff']): { result: TranslationResult; update: SourceUpdate } {
  const snapshot = {
    ingresses: h.fake.objectsOf('ingresses'),
    services: h.fake.objectsOf('services'),
    endpointSlices: h.fake.objectsOf('endpointslices'),
    ingressClasses: h.fake.objectsOf('ingressclasses'),
  } as unknown as ClusterSnapshot;
  const result = translate(snapshot, { ingressClasses: classes });
  const invalid: InvalidRoute[] = result.skipped.map((s) => ({ id: s.id ?? s.object, code: s.code, reason: s.reason, source: s.object }));
  return { result, update: { routes: result.routes, invalid } };
}

interface Trouble {
  readonly errors: string[];
}

function recordingLoggers(trouble: Trouble): { log: Logger; kube: KubeLogger } {
  const none = (): void => {};
  const error = (msg: string, fields?: Readonly<Record<string, unknown>>): void => {
    trouble.errors.push(`${msg} ${JSON.stringify(fields ?? {})}`);
  };
  return { log: { debug: none, info: none, warn: none, error }, kube: { debug: none, info: none, warn: none, error } };
}

function isEqual(a: unknown, b: unknown): boolean {
  try {
    expect(a).toEqual(b);
    return true;
  } catch {
    return false;
  }
}

/** Polls until the check holds or the time is up; `nudge` runs before each look. */
async function waitUntil(check: () => boolean, timeoutMs: number, nudge: () => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) {
    nudge();
    await sleep(5);
  }
}

function describeUpdate(u: SourceUpdate | undefined): unknown {
  return u && { routes: u.routes.map((r) => r.id), invalid: u.invalid.map((i) => `${i.id}: ${i.reason}`) };
}

async function runSequence(seq: Sequence, index: number): Promise<void> {
  const h = await startHarness({ goneAs: seq.goneAs });
  const trouble: Trouble = { errors: [] };
  const loggers = recordingLoggers(trouble);
  const watch = new ClusterWatch({
    client: h.client,
    tuning: { ...fastTuning, pageSize: seq.pageSize },
    logger: loggers.kube,
    debounceMs: 2,
    maxWaitMs: 10,
    ...(seq.namespaced ? { namespaces: [...NAMESPACES] } : {}),
  });
  const routes = new IngressRoutes(new ApiSnapshotProvider(watch), { log: loggers.log });
  const source = routes.sourceFor('main', ['skiff']);
  // a second listener of other classes shares the watch but translates on its own
  const other = routes.sourceFor('other', ['ours', 'other']);
  let last: SourceUpdate | undefined;
  let lastOther: SourceUpdate | undefined;
  try {
    h.fake.create('ingressclasses', { metadata: { name: 'skiff' }, spec: { controller: 'zalando.org/skiff' } });
    for (const o of seq.initial) await apply(h, o);
    const context = (): string =>
      `sequence ${index}: ${JSON.stringify(seq)}\nstats: ${JSON.stringify(watch.stats().reflectors.map((r) => [r.name, r.resourceVersion, r.objects, r.relists, r.consecutiveFailures]))}\nserver rv ${h.fake.resourceVersion}\nhanded on: ${JSON.stringify(describeUpdate(last))}`;
    const settle = async (step: number): Promise<TranslationResult> => {
      const want = truth(h);
      const wantOther = truth(h, ['ours', 'other']);
      await waitUntil(() => isEqual(last, want.update) && isEqual(lastOther, wantOther.update), 5_000, () => h.fake.bookmark());
      await sleep(20);
      expect(last, `after step ${step} of ${context()}`).toEqual(want.update);
      expect(lastOther, `other listener, after step ${step} of ${context()}`).toEqual(wantOther.update);
      return want.result;
    };

    await Promise.all([
      source.start((u) => {
        last = u;
      }),
      other.start((u) => {
        lastOther = u;
      }),
    ]);
    for (let i = 0; i < seq.ops.length; i++) {
      const o = seq.ops[i]!;
      if (o.op === 'settle') await settle(i);
      else await apply(h, o);
    }
    const result = await settle(seq.ops.length);

    // No lost table: every served Ingress shows up, as routes or as set-aside routes.
    const sources = new Set(last!.invalid.map((i) => i.source));
    for (const ref of result.served) {
      const prefix = `kube_${ref.namespace}__${ref.name}__`;
      const present = last!.routes.some((r) => r.id.startsWith(prefix)) || sources.has(`${ref.namespace}/${ref.name}`);
      expect(present, `${context()}\n${ref.namespace}/${ref.name} is missing`).toBe(true);
    }
    expect(trouble.errors, context()).toEqual([]);

    // Stopping while every watch is cut and the history gone (a relist under way) ends at once.
    h.fake.expireHistory();
    h.fake.dropWatches();
    await sleep(seq.ops.length % 7);
    const stopping = Date.now();
    await Promise.all([source.stop(), other.stop()]);
    await routes.stop();
    expect(Date.now() - stopping, context()).toBeLessThan(2_000);
  } finally {
    await Promise.all([source.stop(), other.stop()]);
    await routes.stop();
    await h.close();
  }
}

// ---- the runs ----

const unhandled: unknown[] = [];
const onUnhandled = (err: unknown): void => {
  unhandled.push(err);
};

beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUnhandled);
});

afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtException', onUnhandled);
});

describe('watch event sequences', () => {
  // Three batches so that each stays well inside the per-test timeout.
  it.each(
    process.env['SEQ_SEEDS']
      ? process.env['SEQ_SEEDS'].split(',').map((seed) => [Number(seed), 20])
      : [
          [20261125, 20],
          [410, 20],
          [7, 20],
        ],
  )('converge to the translation of the final objects (seed %i, %i sequences)', async (seed, runs) => {
    const sequences = fc.sample(sequence, { numRuns: runs, seed });
    for (let i = 0; i < sequences.length; i++) await runSequence(sequences[i]!, i);
    await sleep(20);
    expect(unhandled).toEqual([]);
  });
});
