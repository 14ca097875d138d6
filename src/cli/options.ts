/**
 * The command line: GNU-style options (`--name value`, `--name=value`, repeatable where noted),
 * each mirrored by a SKIFF_* environment variable. Parsed and validated once at start-up; a bad
 * value stops the process with a message naming the option.
 */
import { parseGoDuration } from '../../filters/timeout/duration.js';
import { ErrorCode, SkiffError } from '../errors.js';
import { usableCpus } from '../cluster/cpus.js';
import { isIP } from 'node:net';
import { CidrSet } from '../net/cidr-set.js';
import { DEFAULT_HEALTHCHECK_SOURCES } from '../kubernetes/translate/healthcheck.js';

export interface CliOptions {
  address: HostPort;
  supportAddress: HostPort | null;
  routesFiles: string[];
  ingressDir: string | null;
  kubernetes: boolean;
  kubeconfig: string | null;
  /** Skipper's -enable-kubernetes-external-names: Ingress backends may be ExternalName Services. */
  enableKubernetesExternalNames: boolean;
  /** Skipper's -kubernetes-only-allowed-external-names: ExternalNames must match the allow-list. */
  kubernetesOnlyAllowedExternalNames: boolean;
  /** Skipper's -kubernetes-allowed-external-name, compiled; a name must match one. */
  kubernetesAllowedExternalNames: RegExp[];
  ingressClasses: string[];
  /** Extra listeners bound to their own classes: `name=host:port=class1,class2[=address1,address2]`. */
  listeners: ListenerOption[];
  /** The status address of the default listener, and of listeners without their own. */
  publishStatusAddress: string | null;
  /** Sources the generated /kube-system/healthz routes answer (the load balancers' subnets). */
  healthCheckSourceRanges: string[];
  /** CIDRs of peers whose X-Forwarded-For is believed (the load balancers' subnets). */
  trustedProxies: string[];
  /** With trusted proxies: how many entries from the right of X-Forwarded-For are theirs. */
  trustedHops: string | null;
  /** ES modules that export filter (and predicate) specs. */
  filterPlugins: string[];
  xff: 'append' | 'keep';
  preserveHost: boolean;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyIdleTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnectionsPerEndpoint: number;
  backendQueueTimeoutMs: number;
  writeTimeoutMs: number;
  drainDelayMs: number;
  shutdownDeadlineMs: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  metrics: boolean;
  serveRouteMetrics: boolean;
  serveHostMetrics: boolean;
  routeBackendMetrics: boolean;
  backendHostMetrics: boolean;
  histogramBuckets: number[] | null;
  /** 'off', 'stdout', 'stderr' or a file path. */
  accessLog: string;
  accessLogSampleRate: number;
  maxConcurrentRequests: number;
  maxTcpListenerConcurrency: number;
  maxRequestHeaderLines: number;
  underscoreHeaders: 'reject' | 'drop' | 'allow';
  requestTimeoutMs: number;
  requestBodyIdleTimeoutMs: number;
  ejectAfterFailures: number;
  ejectionMs: number;
  /** Proxy processes; 1 serves from this process alone. */
  workers: number;
  help: boolean;
  version: boolean;
}

export interface ListenerOption {
  name: string;
  address: HostPort;
  classes: string[];
  /** Written to the status of this listener's Ingresses; empty: --publish-status-address. */
  statusAddresses: string[];
}

export interface HostPort {
  host: string;
  port: number;
}

/** The headings of --help, in order. */
export const optionGroups = {
  listeners: 'Listeners',
  sources: 'Route sources',
  kubernetes: 'Kubernetes',
  access: 'Client access and forwarding',
  limits: 'Timeouts and limits',
  observability: 'Observability',
  processes: 'Processes and shutdown',
} as const;

export type OptionGroup = keyof typeof optionGroups;

export interface OptionSpec {
  readonly name: string;
  /** The --help heading it is listed under. */
  readonly group: OptionGroup;
  readonly arg: string | null;
  readonly repeat?: boolean;
  /** Read by `skiff check` (it accepts the other options and ignores them). */
  readonly check?: boolean;
  readonly help: string;
}

const inCluster = process.env.KUBERNETES_SERVICE_HOST !== undefined;
const defaultHost = inCluster ? '0.0.0.0' : '127.0.0.1';

export const optionSpecs: readonly OptionSpec[] = [
  { name: 'address', group: 'listeners', arg: 'HOST:PORT', help: `proxy listener (default ${defaultHost}:9090)` },
  { name: 'support-address', group: 'listeners', arg: 'HOST:PORT', help: `support listener for /metrics, /routes, /healthz, /readyz (default ${defaultHost}:9911; "off" disables)` },
  { name: 'routes-file', group: 'sources', check: true, arg: 'FILE', repeat: true, help: 'eskip routes file, reloaded on change (repeatable)' },
  { name: 'ingress-dir', group: 'sources', check: true, arg: 'DIR', help: 'Kubernetes YAML manifests read as if from the API, reloaded on change' },
  { name: 'kubernetes', group: 'kubernetes', arg: null, help: 'read Ingresses from the Kubernetes API (in-cluster, or --kubeconfig / KUBECONFIG)' },
  { name: 'kubeconfig', group: 'kubernetes', arg: 'FILE', help: 'kubeconfig file for --kubernetes outside a cluster' },
  { name: 'enable-kubernetes-external-names', group: 'kubernetes', check: true, arg: null, help: 'route Ingress backends to ExternalName Services (default off)' },
  { name: 'kubernetes-only-allowed-external-names', group: 'kubernetes', check: true, arg: null, help: 'with --enable-kubernetes-external-names: only names matching a --kubernetes-allowed-external-name' },
  { name: 'kubernetes-allowed-external-name', group: 'kubernetes', check: true, arg: 'REGEXP', repeat: true, help: 'regular expression an ExternalName must match, e.g. "^api[.]example[.]org$" (repeatable)' },
  { name: 'ingress-class', group: 'kubernetes', check: true, arg: 'NAME', repeat: true, help: 'ingress class served by --address (repeatable; default skiff)' },
  { name: 'listener', group: 'listeners', check: true, arg: 'NAME=HOST:PORT=CLASS[,CLASS][=STATUS_ADDRESS[,ADDRESS]]', repeat: true, help: "another proxy listener serving only the given ingress classes, with its load balancer's status addresses (repeatable)" },
  { name: 'publish-status-address', group: 'kubernetes', arg: 'IP|HOSTNAME', help: 'written to status.loadBalancer of the Ingresses of --address and of listeners without their own' },
  { name: 'health-check-source-ranges', group: 'kubernetes', check: true, arg: 'CIDR[,CIDR]', help: `sources the load balancer health route /kube-system/healthz answers; others get 404 (default ${DEFAULT_HEALTHCHECK_SOURCES.join(', ')})` },
  { name: 'trusted-proxies', group: 'access', arg: 'CIDR[,CIDR]', repeat: true, help: 'peers whose X-Forwarded-For is believed, e.g. the ALB subnets (repeatable); others are the client themselves' },
  { name: 'trusted-hops', group: 'access', arg: 'N', help: 'with --trusted-proxies: the client is the Nth X-Forwarded-For entry from the right (1 behind one ALB); default: walk right to left past trusted addresses' },
  { name: 'filter-plugin', group: 'sources', check: true, arg: 'FILE', repeat: true, help: 'ES module exporting filter/predicate specs, registered next to the built-ins (repeatable)' },
  { name: 'xff', group: 'access', arg: 'append|keep', help: 'X-Forwarded-For: append the peer to the incoming chain (default) or keep it as is' },
  { name: 'preserve-host', group: 'access', arg: 'true|false', help: "send the client's Host upstream (default true) or the backend address" },
  { name: 'connect-timeout', group: 'limits', arg: 'DURATION', help: 'upstream dial timeout (default 10s)' },
  { name: 'response-header-timeout', group: 'limits', arg: 'DURATION', help: 'time to wait for upstream response headers (default 60s)' },
  { name: 'backend-idle-timeout', group: 'limits', arg: 'DURATION', help: 'longest pause between upstream body chunks (default 60s)' },
  { name: 'keepalive-timeout', group: 'limits', arg: 'DURATION', help: 'downstream keep-alive; keep above the load balancer idle timeout (default 65s)' },
  { name: 'max-connections-per-endpoint', group: 'limits', arg: 'N', help: 'cap on upstream connections per endpoint and process (default 1024)' },
  { name: 'backend-queue-timeout', group: 'limits', arg: 'DURATION', help: "longest wait for a busy endpoint's pooled connection before a 503 (default 1s; 0 no limit)" },
  { name: 'write-timeout-server', group: 'limits', arg: 'DURATION', help: 'longest time a response may wait for the client to read before the connection is cut (default 60s; 0 off)' },
  { name: 'read-timeout-server', group: 'limits', arg: 'DURATION', help: "Skipper's name for --request-timeout" },
  { name: 'drain-delay', group: 'processes', arg: 'DURATION', help: 'after SIGTERM, keep serving this long with /readyz 503 (default 0s; 45s behind an ALB)' },
  { name: 'shutdown-deadline', group: 'processes', arg: 'DURATION', help: 'after the drain delay, time for in-flight requests before connections are cut (default 30s)' },
  { name: 'max-concurrent-requests', group: 'limits', arg: 'N', help: 'requests in flight per process before a fast 503 (default 10000; 0: no cap)' },
  { name: 'max-tcp-listener-concurrency', group: 'limits', arg: 'N', help: 'downstream connections per listener and process; past it a new one is closed at once (default 10000; 0: no cap)' },
  { name: 'max-request-header-lines', group: 'limits', arg: 'N', help: 'request header lines; more get 431 (default 200)' },
  { name: 'underscore-headers', group: 'access', arg: 'reject|drop|allow', help: 'header names with "_": 400 (default), drop them, or pass them' },
  { name: 'request-timeout', group: 'limits', arg: 'DURATION', help: 'time to receive a whole request, body included; 408 past it (default 5m; 0 off)' },
  { name: 'request-body-idle-timeout', group: 'limits', arg: 'DURATION', help: 'longest pause inside a request body before the connection is cut (default 60s; 0 off)' },
  { name: 'eject-after-failures', group: 'limits', arg: 'N', help: 'passive health: failures in a row that eject a load-balanced endpoint (default 5; 0 off)' },
  { name: 'ejection-time', group: 'limits', arg: 'DURATION', help: 'first ejection time, doubled per repeat up to 10x (default 30s)' },
  { name: 'metrics', group: 'observability', arg: 'true|false', help: 'Prometheus metrics at /metrics on the support listener (default true)' },
  { name: 'serve-route-metrics', group: 'observability', arg: 'true|false', help: 'skipper_serve_route_duration_seconds{code,method,route} (default true)' },
  { name: 'serve-host-metrics', group: 'observability', arg: 'true|false', help: 'skipper_serve_host_duration_seconds{code,method,host} (default true)' },
  { name: 'route-backend-metrics', group: 'observability', arg: 'true|false', help: 'skipper_backend_duration_seconds by route (default false)' },
  { name: 'backend-host-metrics', group: 'observability', arg: 'true|false', help: 'skipper_backend_duration_seconds by backend host (default false)' },
  { name: 'histogram-metric-buckets', group: 'observability', arg: 'S[,S]', help: 'upper bounds in seconds of every duration histogram (default Prometheus buckets)' },
  { name: 'access-log', group: 'observability', arg: 'off|stdout|stderr|FILE', help: 'JSON access log, one line per request (default off)' },
  { name: 'access-log-sample-rate', group: 'observability', arg: 'R', help: 'share of requests logged, 0 to 1 (default 1)' },
  { name: 'workers', group: 'processes', arg: 'N', help: 'proxy processes sharing the listeners (default: the CPUs this container may use); 1 runs in one process' },
  { name: 'log-level', group: 'observability', arg: 'LEVEL', help: 'debug, info, warn or error (default info)' },
  { name: 'help', group: 'processes', check: true, arg: null, help: 'show this help (also -h)' },
  { name: 'version', group: 'processes', arg: null, help: 'print the version' },
];

/**
 * Options Skipper has under the same name, which also take its single-dash spelling, so that a
 * Skipper command line (or a CI step written for one) reads the same here.
 */
const SKIPPER_NAMES: ReadonlySet<string> = new Set([
  'address',
  'routes-file',
  'kubernetes',
  'filter-plugin',
  'access-log',
  'serve-route-metrics',
  'serve-host-metrics',
  'route-backend-metrics',
  'backend-host-metrics',
  'histogram-metric-buckets',
  'enable-kubernetes-external-names',
  'kubernetes-only-allowed-external-names',
  'kubernetes-allowed-external-name',
  'read-timeout-server',
  // Go's WriteTimeout is a deadline on the whole response; skiff's cuts only a response that
  // waits that long on the client, so it never cuts earlier than Skipper would.
  'write-timeout-server',
]);

function fail(message: string): never {
  throw new SkiffError(ErrorCode.InvalidOption, message);
}

/**
 * A value an option cannot take. The message names the option as the operator wrote it: parseCommandLine
 * turns it into `SKIFF_NAME=value: reason` when the value came from the environment.
 */
class OptionValueError extends SkiffError {
  constructor(
    readonly option: string,
    readonly text: string,
    readonly reason: string,
  ) {
    super(ErrorCode.InvalidOption, `--${option} "${text}": ${reason}`);
  }
}

function bad(option: string, text: string, reason: string): never {
  throw new OptionValueError(option, text, reason);
}

/** The environment variable that mirrors an option. */
export function envName(option: string): string {
  return `SKIFF_${option.toUpperCase().replaceAll('-', '_')}`;
}

/** The known option nearest to a mistyped one, if one is near enough to be what was meant. */
export function nearestOption(name: string): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const spec of optionSpecs) {
    // a prefix (`--routes` for `--routes-file`) counts as one edit
    const d = spec.name.startsWith(name) && name.length >= 3 ? 1 : editDistance(name, spec.name);
    if (d < bestDistance) {
      best = spec.name;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}

/** Levenshtein distance, with a swap of two neighbours counting as one edit. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[0]![j] = j;
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * Reads argv first, then SKIFF_* variables for options argv did not give. A bad value is
 * reported the way it was given: `--drain-delay "x": ...` or `SKIFF_DRAIN_DELAY=x: ...`.
 */
export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  const seen = new Map<string, string[]>();
  /** Options whose values came from the environment, and the variable's whole text. */
  const fromEnv = new Map<string, string>();
  const byName = new Map(optionSpecs.map((o) => [o.name, o]));
  for (let i = 0; i < argv.length; i++) {
    let token = argv[i]!;
    if (token === '-h') token = '--help';
    // Skipper's spelling (`-routes-file F`) of the options Skipper has under the same name.
    if (/^-[a-z]/.test(token) && SKIPPER_NAMES.has(token.slice(1).split('=')[0]!)) token = `-${token}`;
    if (!token.startsWith('--')) {
      const near = /^-[a-z]/.test(token) ? nearestOption(token.slice(1).split('=')[0]!) : undefined;
      fail(`unexpected argument "${token}" (options start with --)${near !== undefined ? `; did you mean --${near}?` : ''}`);
    }
    const eq = token.indexOf('=');
    const name = token.slice(2, eq === -1 ? undefined : eq);
    const spec = byName.get(name);
    if (spec === undefined) {
      const near = nearestOption(name);
      fail(`unknown option --${name}${near !== undefined ? `; did you mean --${near}?` : ''} (see --help)`);
    }
    let value: string;
    if (spec.arg === null) {
      value = eq === -1 ? 'true' : token.slice(eq + 1);
    } else if (eq !== -1) {
      value = token.slice(eq + 1);
    } else {
      const next = argv[++i];
      if (next === undefined) fail(`--${name} needs a value (${spec.arg})`);
      value = next;
    }
    const list = seen.get(name) ?? [];
    if (list.length > 0 && spec.repeat !== true) fail(`--${name} given twice`);
    list.push(value);
    seen.set(name, list);
  }
  for (const spec of optionSpecs) {
    if (seen.has(spec.name)) continue;
    const v = env[envName(spec.name)];
    if (v === undefined || v === '') continue;
    fromEnv.set(spec.name, v);
    seen.set(spec.name, spec.name === 'listener' ? listenerList(v) : spec.repeat === true ? v.split(',').map((s) => s.trim()) : [v]);
  }
  const one = (name: string): string | undefined => seen.get(name)?.[0];
  const many = (name: string): string[] => seen.get(name) ?? [];
  const support = one('support-address');
  try {
    return optionsFrom(one, many, support);
  } catch (err) {
    if (!(err instanceof OptionValueError)) throw err;
    const text = fromEnv.get(err.option);
    if (text === undefined) throw err;
    const part = err.text === text ? '' : ` "${err.text}"`;
    throw new SkiffError(ErrorCode.InvalidOption, `${envName(err.option)}=${text}:${part} ${err.reason}`);
  }
}

function optionsFrom(one: (name: string) => string | undefined, many: (name: string) => string[], support: string | undefined): CliOptions {
  return {
    address: hostPort('address', one('address') ?? `${defaultHost}:9090`),
    supportAddress: support === 'off' ? null : hostPort('support-address', support ?? `${defaultHost}:9911`),
    routesFiles: many('routes-file'),
    ingressDir: one('ingress-dir') ?? null,
    kubernetes: bool('kubernetes', one('kubernetes') ?? 'false'),
    kubeconfig: one('kubeconfig') ?? null,
    enableKubernetesExternalNames: bool('enable-kubernetes-external-names', one('enable-kubernetes-external-names') ?? 'false'),
    kubernetesOnlyAllowedExternalNames: bool('kubernetes-only-allowed-external-names', one('kubernetes-only-allowed-external-names') ?? 'false'),
    kubernetesAllowedExternalNames: many('kubernetes-allowed-external-name').map((r) => regexp('kubernetes-allowed-external-name', r)),
    ingressClasses: many('ingress-class').length > 0 ? many('ingress-class') : ['skiff'],
    listeners: many('listener').map(listenerSpec),
    publishStatusAddress: statusAddress('publish-status-address', one('publish-status-address')),
    healthCheckSourceRanges: sourceRanges('health-check-source-ranges', one('health-check-source-ranges')),
    trustedProxies: many('trusted-proxies'),
    trustedHops: one('trusted-hops') ?? null,
    filterPlugins: many('filter-plugin'),
    xff: oneOf('xff', one('xff') ?? 'append', ['append', 'keep'] as const),
    preserveHost: bool('preserve-host', one('preserve-host') ?? 'true'),
    connectTimeoutMs: duration('connect-timeout', one('connect-timeout') ?? '10s'),
    headersTimeoutMs: duration('response-header-timeout', one('response-header-timeout') ?? '60s'),
    bodyIdleTimeoutMs: duration('backend-idle-timeout', one('backend-idle-timeout') ?? '60s'),
    keepAliveTimeoutMs: duration('keepalive-timeout', one('keepalive-timeout') ?? '65s'),
    maxConnectionsPerEndpoint: positiveInt('max-connections-per-endpoint', one('max-connections-per-endpoint') ?? '1024'),
    backendQueueTimeoutMs: duration('backend-queue-timeout', one('backend-queue-timeout') ?? '1s'),
    writeTimeoutMs: duration('write-timeout-server', one('write-timeout-server') ?? '60s'),
    drainDelayMs: duration('drain-delay', one('drain-delay') ?? '0s'),
    shutdownDeadlineMs: duration('shutdown-deadline', one('shutdown-deadline') ?? '30s'),
    maxConcurrentRequests: wholeNumber('max-concurrent-requests', one('max-concurrent-requests') ?? '10000'),
    maxTcpListenerConcurrency: wholeNumber('max-tcp-listener-concurrency', one('max-tcp-listener-concurrency') ?? '10000'),
    maxRequestHeaderLines: positiveInt('max-request-header-lines', one('max-request-header-lines') ?? '200'),
    underscoreHeaders: oneOf('underscore-headers', one('underscore-headers') ?? 'reject', ['reject', 'drop', 'allow'] as const),
    requestTimeoutMs: requestTimeout(one('request-timeout'), one('read-timeout-server')),
    requestBodyIdleTimeoutMs: duration('request-body-idle-timeout', one('request-body-idle-timeout') ?? '60s'),
    ejectAfterFailures: wholeNumber('eject-after-failures', one('eject-after-failures') ?? '5'),
    ejectionMs: duration('ejection-time', one('ejection-time') ?? '30s'),
    metrics: bool('metrics', one('metrics') ?? 'true'),
    serveRouteMetrics: bool('serve-route-metrics', one('serve-route-metrics') ?? 'true'),
    serveHostMetrics: bool('serve-host-metrics', one('serve-host-metrics') ?? 'true'),
    routeBackendMetrics: bool('route-backend-metrics', one('route-backend-metrics') ?? 'false'),
    backendHostMetrics: bool('backend-host-metrics', one('backend-host-metrics') ?? 'false'),
    histogramBuckets: buckets(one('histogram-metric-buckets')),
    accessLog: one('access-log') ?? 'off',
    accessLogSampleRate: fraction('access-log-sample-rate', one('access-log-sample-rate') ?? '1'),
    workers: positiveInt('workers', one('workers') ?? String(usableCpus())),
    logLevel: oneOf('log-level', one('log-level') ?? 'info', ['debug', 'info', 'warn', 'error'] as const),
    help: bool('help', one('help') ?? 'false'),
    version: bool('version', one('version') ?? 'false'),
  };
}

export function hostPort(option: string, text: string): HostPort {
  const colon = text.lastIndexOf(':');
  if (colon === -1) bad(option, text, 'expected HOST:PORT');
  let host = text.slice(0, colon);
  const port = Number(text.slice(colon + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) bad(option, text, 'port must be 0-65535');
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return { host: host === '' ? '0.0.0.0' : host, port };
}

/**
 * SKIFF_LISTENER: listeners separated by commas, like other repeatable options, although a
 * listener has commas of its own (between classes and between addresses). A piece with two `=`
 * (NAME=HOST:PORT=...) starts a listener; any other piece continues the one before.
 */
function listenerList(text: string): string[] {
  const out: string[] = [];
  for (const piece of text.split(',').map((s) => s.trim())) {
    const starts = piece.split('=').length >= 3;
    if (starts || out.length === 0) out.push(piece);
    else out[out.length - 1] += `,${piece}`;
  }
  return out;
}

function listenerSpec(text: string): ListenerOption {
  const parts = text.split('=');
  const list = (part: string | undefined): string[] => (part ?? '').split(',').map((s) => s.trim());
  const classes = list(parts[2]);
  const statusAddresses = parts.length === 4 ? list(parts[3]) : [];
  if (
    (parts.length !== 3 && parts.length !== 4) ||
    parts[0] === '' ||
    classes.some((c) => c === '') ||
    (parts.length === 4 && statusAddresses.some((a) => a === ''))
  ) {
    bad('listener', text, 'expected NAME=HOST:PORT=CLASS[,CLASS][=STATUS_ADDRESS[,ADDRESS]]');
  }
  for (const a of statusAddresses) statusAddress('listener', a);
  return { name: parts[0]!, address: hostPort('listener', parts[1]!), classes, statusAddresses };
}

/** A replacement list of networks, checked now so a typo stops the start, not the first health check. */
function sourceRanges(option: string, text: string | undefined): string[] {
  if (text === undefined) return [...DEFAULT_HEALTHCHECK_SOURCES];
  const list = text.split(',').map((s) => s.trim());
  if (list.some((s) => s === '')) bad(option, text, 'expected CIDR blocks separated by commas, e.g. 10.0.0.0/8,100.64.0.0/10');
  try {
    CidrSet.parse(list);
  } catch (err) {
    bad(option, text, (err as Error).message);
  }
  return list;
}

const dnsName = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

/** An address for status.loadBalancer: an IP or a DNS name (the API server refuses anything else). */
function statusAddress(option: string, text: string | undefined): string | null {
  if (text === undefined) return null;
  if (isIP(text) === 0 && !dnsName.test(text)) bad(option, text, 'a status address is an IP address or a DNS name');
  return text;
}

function bool(option: string, text: string): boolean {
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  bad(option, text, 'expected true or false');
}

/**
 * Unicode mode: it rejects what non-Unicode mode would quietly read as literals (a `{1` left
 * over when SKIFF_* splits `{1,3}` at its comma), so a broken pattern stops the start.
 */
function regexp(option: string, text: string): RegExp {
  if (text === '') bad(option, text, 'expected a regular expression');
  try {
    return new RegExp(text, 'u');
  } catch (err) {
    bad(option, text, (err as Error).message);
  }
}

function oneOf<T extends string>(option: string, text: string, values: readonly T[]): T {
  if ((values as readonly string[]).includes(text)) return text as T;
  bad(option, text, `expected one of ${values.join(', ')}`);
}

function duration(option: string, text: string): number {
  const ms = parseGoDuration(text);
  if (ms === undefined || ms < 0) bad(option, text, 'expected a duration like 500ms, 10s or 1m30s');
  return ms;
}

/**
 * --read-timeout-server is Skipper's name for the same deadline (Go's ReadTimeout: the whole
 * request, body included). Both may be given only when they agree.
 */
function requestTimeout(own: string | undefined, skipper: string | undefined): number {
  const ms = duration('request-timeout', own ?? '5m');
  if (skipper === undefined) return ms;
  const other = duration('read-timeout-server', skipper);
  if (own !== undefined && other !== ms) bad('read-timeout-server', skipper, `differs from --request-timeout ${own}; give one of them`);
  return other;
}

function buckets(text: string | undefined): number[] | null {
  if (text === undefined) return null;
  const values = text.split(',').map((v) => Number(v.trim()));
  if (values.length === 0 || values.some((v, i) => !Number.isFinite(v) || v <= 0 || (i > 0 && v <= values[i - 1]!))) {
    bad('histogram-metric-buckets', text, 'expected increasing positive numbers of seconds, e.g. 0.005,0.01,0.1,1');
  }
  return values;
}

function fraction(option: string, text: string): number {
  const n = Number(text);
  if (!(n >= 0 && n <= 1)) bad(option, text, 'expected a number from 0 to 1');
  return n;
}

function wholeNumber(option: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) bad(option, text, 'expected a whole number (0 or more)');
  return n;
}

function positiveInt(option: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) bad(option, text, 'expected a positive whole number');
  return n;
}
