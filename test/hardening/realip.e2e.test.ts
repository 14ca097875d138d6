/**
 * Differential test of the client address against nginx's realip module, the reference
 * implementation of "walk X-Forwarded-For right to left past trusted addresses": 1,000
 * generated chains go through nginx (set_real_ip_from = the trusted networks, recursive on,
 * answering $remote_addr) and through skiff's CIDR-mode resolver; both must name the same
 * client. Chains hold addresses only: on garbage skiff fails closed (no client) where nginx
 * keeps what it found, a documented difference.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientIpPolicy } from '../../src/proxy/client-ip.js';
import { normalizeAddress } from '../../src/net/ip.js';
import { findNginx, nginxHasRealIp } from '../helpers/nginx.js';
import { freePort } from '../helpers/process.js';
import { sleep } from './raw.js';

const trusted = ['127.0.0.1/32', '10.0.0.0/8', '192.168.0.0/16', '2001:db8::/32'];
const nginx = findNginx();
const usable = nginx !== null && nginxHasRealIp(nginx);

let child: ChildProcess | null = null;
let dir = '';
let port = 0;
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

beforeAll(async () => {
  if (!usable) return;
  dir = await mkdtemp(join(tmpdir(), 'skiff-realip-'));
  port = await freePort();
  const conf = join(dir, 'nginx.conf');
  await writeFile(
    conf,
    `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
${trusted.map((c) => `    set_real_ip_from ${c};`).join('\n')}
    real_ip_header X-Forwarded-For;
    real_ip_recursive on;
    location / { return 200 $remote_addr; }
  }
}
`,
  );
  child = spawn(nginx!, ['-p', dir, '-c', conf, '-e', join(dir, 'error.log')], { stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    if ((await ask('').catch(() => null)) !== null) return;
    await sleep(25);
  }
  throw new Error('nginx did not start');
});

afterAll(async () => {
  agent.destroy();
  child?.kill('SIGKILL');
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

function ask(xff: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent, headers: xff === '' ? {} : { 'x-forwarded-for': xff } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
  });
}

const address = fc.oneof(
  fc.constantFrom('127.0.0.1', '10.1.2.3', '10.255.0.1', '192.168.7.7', '2001:db8::1', '2001:db8:ffff::a'),
  fc.ipV4(),
  fc.ipV6().map((ip) => normalizeAddress(ip) ?? '::1'),
);
const chain = fc.array(address, { minLength: 0, maxLength: 6 }).map((list) => list.join(', '));

describe.skipIf(!usable)('client address, differential against nginx realip', () => {
  it('names the same client as nginx for 1,000 chains', async () => {
    const policy = createClientIpPolicy({ trustedProxies: trusted });
    const chains = fc.sample(chain, { numRuns: 1000, seed: 20261125 });
    let differences = 0;
    const examples: string[] = [];
    for (const xff of chains) {
      const theirs = normalizeAddress((await ask(xff)).trim());
      const ours = policy.resolve('127.0.0.1', xff);
      if (theirs !== ours) {
        differences++;
        if (examples.length < 5) examples.push(`${JSON.stringify(xff)}: nginx ${theirs}, skiff ${ours}`);
      }
    }
    expect(examples).toEqual([]);
    expect(differences).toBe(0);
  });
});
