// nginx and HAProxy as benchmark processes: a config template from bench/peers or bench/lib with
// {{NAME}} placeholders, written into a temporary prefix, the server run in the foreground as a
// child of the bench (one process each), ready once its port accepts connections.
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The executable's path when installed (PATH, then the sbin directories), else null. */
export function commandPath(name) {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const dir of dirs) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {}
  }
  return null;
}

/** Fills {{NAME}} placeholders; a placeholder left without a value is a mistake in the bench. */
function render(templateFile, vars) {
  return readFileSync(templateFile, 'utf8').replace(/\{\{(\w+)\}\}/g, (_, name) => {
    if (!(name in vars)) throw new Error(`${templateFile}: no value for {{${name}}}`);
    return String(vars[name]);
  });
}

async function waitForPort(port, child, name, stderr) {
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}): ${stderr.join('')}`);
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not listen on ${port}: ${stderr.join('')}`);
}

async function run(name, command, args, port) {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const stderr = [];
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    stderr.push(d);
    // start-up notices (HAProxy prints two) are noise between the result tables
    for (const line of d.split('\n')) if (line !== '' && !line.includes('[NOTICE]')) process.stderr.write(`[${name}] ${line}\n`);
  });
  await waitForPort(port, child, name, stderr);
  return { child, pid: child.pid, port, stop: () => child.kill('SIGKILL') };
}

/**
 * nginx from a template, in a fresh prefix directory. `files` are written into the prefix first
 * (name → Buffer), e.g. the backend's 64 KiB body.
 */
export async function startNginx(templateFile, { port, upstream = '', files = {} }) {
  const nginx = commandPath('nginx');
  if (nginx === null) throw new Error('nginx is not installed');
  const prefix = mkdtempSync(join(tmpdir(), 'skiff-bench-nginx-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(prefix, name), content);
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(conf, render(templateFile, { PREFIX: prefix, PORT: port, UPSTREAM: upstream }));
  // -e: nginx opens its error log before reading the config; keep it off /var/log
  return run('nginx', nginx, ['-p', prefix, '-c', conf, '-e', 'stderr'], port);
}

export async function startHaproxy(templateFile, { port, upstream }) {
  const haproxy = commandPath('haproxy');
  if (haproxy === null) throw new Error('haproxy is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-haproxy-'));
  const conf = join(dir, 'haproxy.cfg');
  writeFileSync(conf, render(templateFile, { PORT: port, UPSTREAM: upstream }));
  // -db: stay in the foreground, one process
  return run('haproxy', haproxy, ['-db', '-f', conf], port);
}
