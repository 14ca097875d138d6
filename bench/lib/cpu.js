// CPU time of a benchmark process and its descendants (skiff's workers), from /proc: user plus
// system seconds. Divided by the requests served in a run it gives CPU per request, which other
// load on a shared machine moves far less than req/s. Linux only; elsewhere it reports null.
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

let ticksPerSecond = 100;
try {
  ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {}

function childrenOf(pid) {
  const out = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const list = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (list !== '') out.push(...list.split(' ').map(Number));
    }
  } catch {}
  return out;
}

function ownTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // the command name may hold spaces and parentheses: fields are counted after the last ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
}

/** CPU seconds used so far by pid and every live descendant, or null when /proc cannot say. */
export function treeCpuSeconds(pid) {
  try {
    let ticks = 0;
    const queue = [pid];
    while (queue.length > 0) {
      const p = queue.pop();
      try {
        ticks += ownTicks(p);
      } catch {
        continue; // exited meanwhile
      }
      queue.push(...childrenOf(p));
    }
    return ticks / ticksPerSecond;
  } catch {
    return null;
  }
}
