import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/options.js';
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
      expect(err.message).toContain('--kubernetes-allowed-external-name');
    }
    expect(failure(['--enable-kubernetes-external-names=yes']).message).toContain('--enable-kubernetes-external-names "yes"');
  });
});
