/**
 * How many CPUs this process may use: the cgroup v2 quota when the container has one (a pod with
 * `limits.cpu: 2` on a 64-core node gets 2), else what the OS reports.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

export function usableCpus(): number {
  const os = availableParallelism();
  try {
    const [quota, period] = readFileSync('/sys/fs/cgroup/cpu.max', 'utf8').trim().split(/\s+/);
    if (quota === undefined || quota === 'max' || period === undefined) return os;
    const cpus = Math.ceil(Number(quota) / Number(period));
    return Number.isFinite(cpus) && cpus >= 1 ? Math.min(cpus, os) : os;
  } catch {
    return os;
  }
}
