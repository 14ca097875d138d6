import { describe, expect, it } from 'vitest';
import { optionGroups, optionSpecs, parseCommandLine } from '../../src/cli/options.js';
import { checkUsage, usage, wrap } from '../../src/cli/help.js';
import { SkiffError } from '../../src/errors.js';

function failure(argv: string[], env: NodeJS.ProcessEnv = {}): SkiffError {
  try {
    parseCommandLine(argv, env);
  } catch (err) {
    return err as SkiffError;
  }
  throw new Error(`parsed: ${argv.join(' ')}`);
}

describe('--listener', () => {
  it('takes the status addresses of its load balancer as an optional fourth part', () => {
    const opts = parseCommandLine(
      [
        '--listener', 'internal=0.0.0.0:9991=internal,private=internal-lb.example.org,10.0.5.6',
        '--listener', 'admin=127.0.0.1:9992=admin',
        '--publish-status-address', 'ingress.example.org',
      ],
      {},
    );
    expect(opts.listeners).toEqual([
      { name: 'internal', address: { host: '0.0.0.0', port: 9991 }, classes: ['internal', 'private'], statusAddresses: ['internal-lb.example.org', '10.0.5.6'] },
      { name: 'admin', address: { host: '127.0.0.1', port: 9992 }, classes: ['admin'], statusAddresses: [] },
    ]);
    expect(opts.publishStatusAddress).toBe('ingress.example.org');
  });

  it('reads several listeners with classes and addresses from SKIFF_LISTENER', () => {
    const opts = parseCommandLine([], {
      SKIFF_LISTENER: 'internal=0.0.0.0:9991=internal,private=lb-a.example.org,10.0.0.7, admin=127.0.0.1:9992=admin',
      SKIFF_PUBLISH_STATUS_ADDRESS: 'ingress.example.org',
    });
    expect(opts.listeners.map((l) => [l.name, l.classes, l.statusAddresses])).toEqual([
      ['internal', ['internal', 'private'], ['lb-a.example.org', '10.0.0.7']],
      ['admin', ['admin'], []],
    ]);
    expect(opts.publishStatusAddress).toBe('ingress.example.org');
  });

  it('refuses malformed listeners and status addresses with the InvalidOption code', () => {
    for (const bad of [
      'internal=0.0.0.0:9991',
      'internal=0.0.0.0:9991=',
      'internal=0.0.0.0:9991=internal=',
      'internal=0.0.0.0:9991=internal=lb.example.org,',
      'internal=0.0.0.0:9991=internal=lb.example.org=more',
      'internal=0.0.0.0:9991=internal=http://lb.example.org',
      'internal=0.0.0.0:9991=a,,b',
    ]) {
      const err = failure(['--listener', bad]);
      expect(err.code, bad).toBe('SKIFF_ERR_INVALID_OPTION');
      expect(err.message, bad).toContain('--listener');
    }
    const err = failure(['--publish-status-address', 'lb example.org']);
    expect(err.code).toBe('SKIFF_ERR_INVALID_OPTION');
    expect(err.message).toMatch(/--publish-status-address "lb example.org": a status address is an IP address or a DNS name/);
  });
});

describe('--health-check-source-ranges', () => {
  it("defaults to the private and loopback ranges, and a given list replaces them", () => {
    expect(parseCommandLine([], {}).healthCheckSourceRanges).toEqual(['10.0.0.0/8', '192.168.0.0/16', '172.16.0.0/12', '127.0.0.0/8', 'fd00::/8', '::1/128']);
    expect(parseCommandLine(['--health-check-source-ranges', '100.64.0.0/10, 10.0.0.0/16'], {}).healthCheckSourceRanges).toEqual(['100.64.0.0/10', '10.0.0.0/16']);
    expect(parseCommandLine([], { SKIFF_HEALTH_CHECK_SOURCE_RANGES: '100.64.0.0/10,fd12::/16' }).healthCheckSourceRanges).toEqual(['100.64.0.0/10', 'fd12::/16']);
  });

  it('refuses a bad network at start-up with the InvalidOption code', () => {
    for (const bad of ['100.64.0.0/33', '100.64.0/10', 'alb-subnet', '10.0.0.0/8,', '']) {
      const err = failure(['--health-check-source-ranges', bad]);
      expect(err.code, bad).toBe('SKIFF_ERR_INVALID_OPTION');
      expect(err.message, bad).toContain(`--health-check-source-ranges "${bad}"`);
    }
  });
});

describe('ExternalName options (Skipper names)', () => {
  it('are off, with no allow-list, by default', () => {
    const opts = parseCommandLine([], {});
    expect(opts.enableKubernetesExternalNames).toBe(false);
    expect(opts.kubernetesOnlyAllowedExternalNames).toBe(false);
    expect(opts.kubernetesAllowedExternalNames).toEqual([]);
  });

  it('take the toggles as bare flags and the patterns repeated, compiled', () => {
    const opts = parseCommandLine(
      [
        '--enable-kubernetes-external-names',
        '--kubernetes-only-allowed-external-names',
        '--kubernetes-allowed-external-name', '^one[.]example[.]org$',
        '--kubernetes-allowed-external-name=^two[.]example[.]org$',
      ],
      {},
    );
    expect(opts.enableKubernetesExternalNames).toBe(true);
    expect(opts.kubernetesOnlyAllowedExternalNames).toBe(true);
    expect(opts.kubernetesAllowedExternalNames.map((r) => r.source)).toEqual(['^one[.]example[.]org$', '^two[.]example[.]org$']);
    expect(opts.kubernetesAllowedExternalNames[0]!.test('one.example.org')).toBe(true);
    expect(opts.kubernetesAllowedExternalNames[0]!.test('oneXexample.org')).toBe(false);
    expect(parseCommandLine(['--enable-kubernetes-external-names=false'], {}).enableKubernetesExternalNames).toBe(false);
  });

  it('are read from SKIFF_* too, patterns separated by commas', () => {
    const opts = parseCommandLine([], {
      SKIFF_ENABLE_KUBERNETES_EXTERNAL_NAMES: 'true',
      SKIFF_KUBERNETES_ONLY_ALLOWED_EXTERNAL_NAMES: '1',
      SKIFF_KUBERNETES_ALLOWED_EXTERNAL_NAME: '^one[.]example[.]org$, ^two[.]example[.]org$',
    });
    expect(opts.enableKubernetesExternalNames).toBe(true);
    expect(opts.kubernetesOnlyAllowedExternalNames).toBe(true);
    expect(opts.kubernetesAllowedExternalNames.map((r) => r.source)).toEqual(['^one[.]example[.]org$', '^two[.]example[.]org$']);
  });

  it('refuse a pattern that does not compile, even one a comma in SKIFF_* cut in two', () => {
    for (const [argv, env] of [
      [['--kubernetes-allowed-external-name', '^(one'], {}],
      [['--kubernetes-allowed-external-name', ''], {}],
      [[], { SKIFF_KUBERNETES_ALLOWED_EXTERNAL_NAME: '^a{1,3}[.]example$' }],
    ] as const) {
      const err = failure([...argv], env);
      expect(err.code).toBe('SKIFF_ERR_INVALID_OPTION');
      // a value from the environment is named by its variable
      expect(err.message).toMatch(argv.length > 0 ? /^--kubernetes-allowed-external-name / : /^SKIFF_KUBERNETES_ALLOWED_EXTERNAL_NAME=\^a\{1,3\}\[\.\]example\$: "\^a\{1" /);
    }
    expect(failure(['--enable-kubernetes-external-names=yes']).message).toContain('--enable-kubernetes-external-names "yes"');
  });
});

describe('help', () => {
  it('-h asks for help like --help', () => {
    expect(parseCommandLine(['-h'], {}).help).toBe(true);
    expect(parseCommandLine(['--help'], {}).help).toBe(true);
  });

  it('lists every option once, under the headings in order, within 100 columns', () => {
    const text = usage();
    const lines = text.split('\n');
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(100);
    const headings = Object.values(optionGroups).map((h) => lines.indexOf(`${h}:`));
    expect(headings.every((at) => at > 0)).toBe(true);
    expect([...headings].sort((a, b) => a - b)).toEqual(headings);
    for (const o of optionSpecs) {
      const at = lines.findIndex((l) => l === `  --${o.name}` || l.startsWith(`  --${o.name} `));
      expect(at, o.name).toBeGreaterThan(0);
      expect(lines.filter((l) => l === `  --${o.name}` || l.startsWith(`  --${o.name} `)), o.name).toHaveLength(1);
      // under its own heading: the nearest heading above it
      const heading = lines.slice(0, at).reverse().find((l) => /^[A-Z].*:$/.test(l));
      expect(heading, o.name).toBe(`${optionGroups[o.group]}:`);
    }
  });

  it('skiff check --help lists the options the check reads', () => {
    const text = checkUsage();
    expect(text).toMatch(/^Usage: skiff check \[options\]/);
    const listed = text.split('\n').flatMap((l) => /^ {2}--([a-z-]+)/.exec(l)?.[1] ?? []);
    expect(listed.sort()).toEqual(optionSpecs.filter((o) => o.check === true).map((o) => o.name).sort());
    expect(text.split('\n').every((l) => l.length <= 100)).toBe(true);
  });

  it('wraps words to the width, a longer word alone on its line', () => {
    expect(wrap('aa bb cc dd', 5)).toEqual(['aa bb', 'cc dd']);
    expect(wrap('a verylongword b', 4)).toEqual(['a', 'verylongword', 'b']);
  });
});

describe('mistyped options', () => {
  it('suggests the option nearest to an unknown one', () => {
    expect(failure(['--routes-fil', 'x']).message).toBe('unknown option --routes-fil; did you mean --routes-file? (see --help)');
    expect(failure(['--drian-delay', '1s']).message).toContain('did you mean --drain-delay?');
    expect(failure(['--ingress-classes', 'a']).message).toContain('did you mean --ingress-class?');
    expect(failure(['--routes', 'x']).message).toContain('did you mean --routes-file?');
    expect(failure(['-rotes-file', 'x']).message).toContain('did you mean --routes-file?');
    expect(failure(['--frobnicate']).message).toBe('unknown option --frobnicate (see --help)');
    expect(failure(['--frobnicate']).code).toBe('SKIFF_ERR_INVALID_OPTION');
  });
});

describe("Skipper's spelling", () => {
  it('takes a single dash for the options Skipper has under the same name', () => {
    const opts = parseCommandLine(['-routes-file', 'a.eskip', '-address=:9999', '-kubernetes', '-routes-file=b.eskip'], {});
    expect(opts.routesFiles).toEqual(['a.eskip', 'b.eskip']);
    expect(opts.address).toEqual({ host: '0.0.0.0', port: 9999 });
    expect(opts.kubernetes).toBe(true);
    // skiff's own options keep their two dashes
    expect(failure(['-drain-delay', '1s']).message).toMatch(/^unexpected argument "-drain-delay"/);
  });
});

describe('values from the environment', () => {
  it('names the variable, not the option, when its value is bad', () => {
    const e = failure([], { SKIFF_KEEPALIVE_TIMEOUT: 'abc' });
    expect(e.code).toBe('SKIFF_ERR_INVALID_OPTION');
    expect(e.message).toBe('SKIFF_KEEPALIVE_TIMEOUT=abc: expected a duration like 500ms, 10s or 1m30s');
    expect(failure(['--keepalive-timeout', 'abc'], {}).message).toBe('--keepalive-timeout "abc": expected a duration like 500ms, 10s or 1m30s');
    expect(failure([], { SKIFF_WORKERS: '0' }).message).toBe('SKIFF_WORKERS=0: expected a positive whole number');
    // a part of a list: the variable, then the part at fault
    expect(failure([], { SKIFF_LISTENER: 'internal=127.0.0.1:99999=internal' }).message).toBe(
      'SKIFF_LISTENER=internal=127.0.0.1:99999=internal: "127.0.0.1:99999" port must be 0-65535',
    );
    // the command line wins, and its value is the one named
    expect(failure(['--drain-delay', 'x'], { SKIFF_DRAIN_DELAY: '1s' }).message).toMatch(/^--drain-delay "x": /);
  });
});

describe('slow-client limits', () => {
  it('default to a 1 s wait for a pooled connection, a 60 s write timeout and a 5 m request deadline', () => {
    const opts = parseCommandLine([], {});
    expect([opts.backendQueueTimeoutMs, opts.writeTimeoutMs, opts.requestTimeoutMs, opts.requestBodyIdleTimeoutMs]).toEqual([1000, 60_000, 300_000, 60_000]);
  });

  it("take Skipper's -read-timeout-server as --request-timeout, and -write-timeout-server", () => {
    const opts = parseCommandLine(['-read-timeout-server=30s', '-write-timeout-server', '10s', '--backend-queue-timeout', '250ms'], {});
    expect([opts.requestTimeoutMs, opts.writeTimeoutMs, opts.backendQueueTimeoutMs]).toEqual([30_000, 10_000, 250]);
    expect(parseCommandLine(['--request-timeout', '30s', '--read-timeout-server', '30s'], {}).requestTimeoutMs).toBe(30_000);
    expect(failure(['--request-timeout', '30s', '--read-timeout-server', '1m']).message).toBe(
      '--read-timeout-server "1m": differs from --request-timeout 30s; give one of them',
    );
  });
});
