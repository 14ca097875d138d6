/**
 * nginx as a stand-in for the AWS ALB in end-to-end tests: a non-daemon child process with a
 * generated configuration in a temporary directory, listening on a free 127.0.0.1 port. Like an
 * ALB it appends the client to X-Forwarded-For, says X-Forwarded-Proto https (TLS would end
 * there) and keeps upstream connections alive. Because every test client is 127.0.0.1, a
 * trusted test header can set the address nginx takes the client to be (the realip module).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './process.js';

/** The request header whose value nginx uses as the client address (never forwarded). */
export const CLIENT_ADDRESS_HEADER = 'x-test-client-address';

/** The nginx binary on PATH or in /usr/sbin, or null when nginx is not installed. */
export function findNginx(): string | null {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin']) {
    if (dir === '') continue;
    const candidate = join(dir, 'nginx');
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** Whether this nginx build has the realip module (Debian's nginx-light has it). */
export function nginxHasRealIp(binary: string): boolean {
  const v = spawnSync(binary, ['-V'], { encoding: 'utf8' });
  return `${v.stdout}${v.stderr}`.includes('http_realip_module');
}

export interface AlbStandInOptions {
  /** skiff ports on 127.0.0.1, one upstream server each, round robin. */
  readonly upstreamPorts: readonly number[];
  /** Passive health: failures before a server is left out for `failTimeout` (default 1). */
  readonly maxFails?: number;
  readonly failTimeout?: string;
  /** Idle upstream connections kept per worker (default 64). */
  readonly keepalive?: number;
}

export interface AlbStandIn {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  readonly process: ChildProcess;
  /** The error log so far (connection failures and retries show up here). */
  errorLog(): Promise<string>;
  stop(): Promise<void>;
}

/** Writes the configuration, starts nginx in the foreground and resolves once it accepts connections. */
export async function startAlbStandIn(binary: string, opts: AlbStandInOptions): Promise<AlbStandIn> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-nginx-'));
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  const errorLog = join(dir, 'error.log');
  await writeFile(conf, albConfig(dir, port, opts));
  // -e: nginx opens its error log before reading the configuration; keep even that in the temp dir
  const child = spawn(binary, ['-p', dir, '-c', conf, '-e', errorLog], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));

  const deadline = performance.now() + 10_000;
  while (!(await accepts(port))) {
    if (exited || performance.now() > deadline) {
      child.kill('SIGKILL');
      const log = await readFile(errorLog, 'utf8').catch(() => '');
      throw new Error(`nginx did not start:\n${stderr}\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dir,
    process: child,
    errorLog: () => readFile(errorLog, 'utf8').catch(() => ''),
    async stop() {
      if (exited) return;
      // SIGTERM is nginx's fast shutdown; SIGKILL if it hangs
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(timer);
    },
  };
}

function albConfig(dir: string, port: number, opts: AlbStandInOptions): string {
  const servers = opts.upstreamPorts
    .map((p) => `    server 127.0.0.1:${p} max_fails=${opts.maxFails ?? 1} fail_timeout=${opts.failTimeout ?? '10s'};`)
    .join('\n');
  // as root, nginx would hand its workers to "nobody", who cannot use the temp dir
  const user = process.getuid?.() === 0 ? 'user root root;' : '';
  return `
${user}
daemon off;
master_process on;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 2048; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_timeout 60s;
  keepalive_requests 100000;

  upstream skiff {
${servers}
    keepalive ${opts.keepalive ?? 64};
    keepalive_requests 100000;
  }

  server {
    listen 127.0.0.1:${port};
    # the test client is always 127.0.0.1; this header tells nginx which client to play
    set_real_ip_from 127.0.0.1/32;
    real_ip_header ${CLIENT_ADDRESS_HEADER};

    location / {
      proxy_pass http://skiff;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto https;
      proxy_set_header ${CLIENT_ADDRESS_HEADER} "";
      # nginx-light has no active health checks: retrying another server when one refuses
      # stands in for the ALB having taken a failing target out of rotation (GETs only)
      proxy_next_upstream error timeout;
      proxy_connect_timeout 2s;
      proxy_read_timeout 30s;
    }
  }
}
`;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
