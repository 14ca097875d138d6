// Route table rebuilds at cluster scale: 10,000 Ingresses (30,000 paths) with their Services and
// EndpointSlices go through the Ingress route source (translate per listener) and skiff's table
// build, as a snapshot provider would hand them over. Prints the full rebuild time, the time to a
// rebuilt table after one endpoint change among them, and the process RSS. Run after
// `npm run build`:
//   node --expose-gc bench/kubernetes-scale.js [--ingresses 10000] [--changes 5]
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
/** A full collection, after a tick so that tables retired meanwhile are let go. */
const gc = async () => {
  await new Promise((r) => setTimeout(r, 10));
  globalThis.gc?.();
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
const phases = { translate: [], build: [] };
const log = createLogger('debug', (line) => {
  const entry = JSON.parse(line);
  if (entry.msg === 'ingresses translated') phases.translate.push(entry.ms);
  else if (entry.msg === 'route table updated') phases.build.push(entry.ms);
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
await gc();
const rssLoaded = process.memoryUsage().rss;
const heapLoaded = process.memoryUsage().heapUsed;

// One endpoint change among them: a pod added to one Service, as a new snapshot from the watch.
const changeMs = [];
for (let c = 0; c < changes; c++) {
  const i = Math.floor((c + 0.5) * (count / changes));
  const next = { ...snapshot, endpointSlices: snapshot.endpointSlices.slice() };
  const target = next.endpointSlices[i];
  next.endpointSlices[i] = slice(target.metadata.namespace, target.metadata.labels['kubernetes.io/service-name'], i, 3 + c);
  const before = lastTable;
  t = performance.now();
  provider.set(next);
  if (lastTable === before) throw new Error('the change did not rebuild the table');
  changeMs.push(tableAt - t);
}
await gc();
const rssAfter = process.memoryUsage().rss;
const heapAfter = process.memoryUsage().heapUsed;
const peak = process.resourceUsage().maxRSS * 1024;
await skiff.stop({ drainDelayMs: 0 });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`kubernetes scale: ${count} Ingresses, ${paths} paths, ${snapshot.services.length} Services, ${snapshot.endpointSlices.length} EndpointSlices, node ${process.version}`);
console.log(`  first table, cold process:            ${fullMs.toFixed(0)} ms → ${routeCount} routes`);
console.log(`    of which translate ${phases.translate[0]} ms, table build ${phases.build[0]} ms`);
console.log(`  one endpoint change → rebuilt table:  median ${median(changeMs).toFixed(0)} ms, max ${Math.max(...changeMs).toFixed(0)} ms over ${changes} changes   (a full rebuild; target < 1000 ms)`);
console.log(`    of which translate ${median(phases.translate.slice(1))} ms, table build ${median(phases.build.slice(1))} ms (medians)`);
console.log(`  RSS: ${mb(rssBefore)} at start, ${mb(rssObjects)} with the objects, ${mb(rssLoaded)} with the table, ${mb(rssAfter)} after the changes, peak ${mb(peak)}   (target < 300 MB)`);
console.log(`  JS heap in use: ${mb(heapLoaded)} with the table, ${mb(heapAfter)} after the changes`);
if (globalThis.gc === undefined) console.log('  (run with node --expose-gc for RSS after collection)');
