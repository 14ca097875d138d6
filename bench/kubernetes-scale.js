// Route table rebuilds at cluster scale: 10,000 Ingresses (30,000 paths) with their Services and
// EndpointSlices go through the Ingress route source (translate per listener) and skiff's table
// build, as a snapshot provider would hand them over. Prints the time to the first table, the time
// to a new table after one endpoint change among them, the time of a full rebuild in the running
// process (every EndpointSlice changed), and memory after each stage. Run after `npm run build`:
//   node --expose-gc bench/kubernetes-scale.js [--ingresses 10000] [--changes 5] [--full 3]
import os from 'node:os';
import { createSkiff } from '../dist/src/skiff.js';
import { IngressRoutes } from '../dist/src/sources/kubernetes.js';
import { createLogger } from '../dist/src/log.js';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? dflt : Number(process.argv[i + 1]);
};
const count = arg('ingresses', 10_000);
const changes = arg('changes', 5);
const mb = (bytes) => `${Math.round(bytes / 1024 / 1024)} MB`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** A full collection, after a tick so that tables retired meanwhile are let go. */
const gc = async () => {
  await sleep(10);
  globalThis.gc?.();
};
/**
 * Memory once the process has settled: two full collections half a second apart, as V8's memory
 * reducer runs on its own once a process goes idle. Read right after one forced collection, RSS
 * still holds pages V8 has freed but not yet returned (a background thread unmaps them) and old
 * space fragmented by the rebuilds (compacted at the next collections): up to 340 MB more here.
 */
const settled = async () => {
  const now = process.memoryUsage().rss;
  await gc();
  await sleep(500);
  await gc();
  await sleep(500);
  return { ...process.memoryUsage(), now };
};

/** n Ingresses in n/100 namespaces, one host and three paths each, one Service and slice each. */
function cluster(n) {
  const ingresses = [];
  const services = [];
  const endpointSlices = [];
  for (let i = 0; i < n; i++) {
    const namespace = `team-${Math.floor(i / 100)}`;
    const name = `app-${i}`;
    const backend = { service: { name, port: { number: 80 } } };
    ingresses.push({
      metadata: {
        namespace,
        name,
        resourceVersion: String(i + 1),
        creationTimestamp: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
        annotations: i % 10 === 0 ? { 'zalando.org/skipper-filter': 'setRequestHeader("X-App", "a") -> setResponseHeader("X-B", "c")' } : {},
      },
      spec: {
        ingressClassName: 'skiff',
        rules: [
          {
            host: `${name}.${namespace}.example.org`,
            http: {
              paths: [
                { path: '/', pathType: 'Prefix', backend },
                { path: '/api', pathType: 'Prefix', backend },
                { path: '/health', pathType: 'Exact', backend },
              ],
            },
          },
        ],
      },
    });
    services.push({ metadata: { namespace, name }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
    endpointSlices.push(slice(namespace, name, i, 2));
  }
  return { ingresses, services, endpointSlices, ingressClasses: [] };
}

function slice(namespace, service, i, pods) {
  const endpoints = [];
  for (let p = 1; p <= pods; p++) endpoints.push({ addresses: [`10.${(i >> 8) & 255}.${i & 255}.${p}`], conditions: { ready: true } });
  return { metadata: { namespace, name: `${service}-x`, labels: { 'kubernetes.io/service-name': service } }, ports: [{ name: 'http', port: 8080 }], endpoints };
}

/** A snapshot provider fed by hand, as the API watch or an Ingress directory would feed one. */
class Provider {
  name = 'bench';
  ready = false;
  listeners = new Set();
  constructor(snapshot) {
    this.current = snapshot;
  }
  async start() {
    this.ready = true;
  }
  async stop() {}
  snapshot() {
    return this.current;
  }
  onChange(l) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  set(snapshot) {
    this.current = snapshot;
    for (const l of this.listeners) l(snapshot);
  }
}

await gc();
const rssBefore = process.memoryUsage().rss;
const snapshot = cluster(count);
await gc();
const rssObjects = process.memoryUsage().rss;
const paths = snapshot.ingresses.reduce((n, i) => n + i.spec.rules[0].http.paths.length, 0);

// The source logs its translation time and skiff its build time: keep them for the breakdown.
const phases = { translate: [], translated: [], rebound: [], build: [], compiled: [] };
const log = createLogger('debug', (line) => {
  const entry = JSON.parse(line);
  if (entry.msg === 'ingresses translated') {
    phases.translate.push(entry.ms);
    phases.translated.push(entry.translated);
    phases.rebound.push(entry.rebound);
  } else if (entry.msg === 'route table updated') {
    phases.build.push(entry.ms);
    phases.compiled.push(entry.compiled);
  }
});

let lastTable = null;
let tableAt = 0;
const provider = new Provider(snapshot);
const routes = new IngressRoutes(provider, { log });
const skiff = createSkiff({
  listeners: [{ name: 'default', host: '127.0.0.1', port: 0, sources: [routes.sourceFor('default', ['skiff'])] }],
  support: null,
  log,
  onTable: (_listener, table) => {
    lastTable = table;
    tableAt = performance.now();
  },
});

let t = performance.now();
await skiff.start();
const fullMs = tableAt - t;
const routeCount = lastTable.routes.length;
const loaded = await settled();

/**
 * Hands the provider a new snapshot and returns the time until the new table was swapped in.
 * A function of its own, so that no variable of the measuring code keeps a retired table alive.
 */
function apply(next) {
  const before = lastTable;
  const t0 = performance.now();
  provider.set(next);
  if (lastTable === before) throw new Error('the change did not rebuild the table');
  return tableAt - t0;
}

/** Slice i with `pods` ready endpoints; `base` shifts the addresses so that every slice changes. */
function replaceSlice(slices, i, pods, base = 0) {
  const target = slices[i];
  slices[i] = slice(target.metadata.namespace, target.metadata.labels['kubernetes.io/service-name'], i + base, pods);
}

// One endpoint change among them: a pod added to one Service, as a new snapshot from the watch.
let current = snapshot;
const changeMs = [];
for (let c = 0; c < changes; c++) {
  const i = Math.floor((c + 0.5) * (count / changes));
  const endpointSlices = current.endpointSlices.slice();
  replaceSlice(endpointSlices, i, 3 + c);
  current = { ...current, endpointSlices };
  changeMs.push(apply(current));
}
const changePhases = {
  translate: phases.translate.slice(1),
  translated: phases.translated.slice(1),
  rebound: phases.rebound.slice(1),
  build: phases.build.slice(1),
  compiled: phases.compiled.slice(1),
};
const afterChanges = await settled();

// Full rebuilds in the running process: every EndpointSlice replaced at once (pods of every
// Service rescheduled), so that every route gets a new backend: every Ingress's routes are made
// again with the new backends and every route's backend is compiled again (predicates and filters
// are kept when nothing but the endpoints changed).
const fullRounds = arg('full', 3);
const rebuildMs = [];
for (let r = 1; r <= fullRounds; r++) {
  const endpointSlices = current.endpointSlices.slice();
  for (let i = 0; i < endpointSlices.length; i++) replaceSlice(endpointSlices, i, 2, r * 7);
  current = { ...current, endpointSlices };
  rebuildMs.push(apply(current));
}
const fullPhases = {
  translate: phases.translate.slice(1 + changes),
  translated: phases.translated.slice(1 + changes),
  rebound: phases.rebound.slice(1 + changes),
  build: phases.build.slice(1 + changes),
  compiled: phases.compiled.slice(1 + changes),
};
const afterRebuilds = await settled();
const peak = process.resourceUsage().maxRSS * 1024;
await skiff.stop({ drainDelayMs: 0 });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${Math.round(x)} ms`;
const memory = (m) => `RSS ${mb(m.rss)} (${mb(m.now)} before collecting), heapUsed ${mb(m.heapUsed)}, heapTotal ${mb(m.heapTotal)}, external ${mb(m.external)}`;
console.log(
  `kubernetes scale: ${count} Ingresses, ${paths} paths, ${snapshot.services.length} Services, ${snapshot.endpointSlices.length} EndpointSlices, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
);
console.log(`  first table, cold process:            ${ms(fullMs)} → ${routeCount} routes   (target < 1000 ms)`);
console.log(`    of which translate ${phases.translate[0]} ms, table build ${phases.build[0]} ms`);
if (changes > 0) {
  console.log(`  one endpoint change → new table:      median ${ms(median(changeMs))}, max ${ms(Math.max(...changeMs))} over ${changes} changes   (target ≤ 100 ms)`);
  console.log(
    `    of which translate ${median(changePhases.translate)} ms (${median(changePhases.translated)} Ingresses translated, ${median(changePhases.rebound)} given new backends), table build ${median(changePhases.build)} ms (${median(changePhases.compiled)} routes compiled in full) (medians)`,
  );
}
if (fullRounds > 0) {
  console.log(`  full rebuild, warm (every slice changed): median ${ms(median(rebuildMs))}, max ${ms(Math.max(...rebuildMs))} over ${fullRounds} rebuilds   (target < 1000 ms)`);
  console.log(
    `    of which translate ${median(fullPhases.translate)} ms (${median(fullPhases.translated)} Ingresses translated, ${median(fullPhases.rebound)} given new backends), table build ${median(fullPhases.build)} ms (${median(fullPhases.compiled)} routes compiled in full, the others new backends only) (medians)`,
  );
}
console.log(`  RSS: ${mb(rssBefore)} at start, ${mb(rssObjects)} with the objects, peak ${mb(peak)} (target < 300 MB); settled (two collections 0.5 s apart), target < 300 MB:`);
console.log(`    with the first table:     ${memory(loaded)}`);
console.log(`    after the changes:        ${memory(afterChanges)}`);
console.log(`    after the full rebuilds:  ${memory(afterRebuilds)}`);
if (globalThis.gc === undefined) console.log('  (run with node --expose-gc: without it nothing is collected before the readings)');
