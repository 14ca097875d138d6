// `npm start`: the demo echo backend plus skiff on the example configuration, no cluster needed.
// Extra arguments are passed to skiff, e.g. `npm start -- --log-level debug`.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const echo = spawn(process.execPath, [here('./echo-backend.js')], { stdio: 'inherit' });
const skiff = spawn(
  process.execPath,
  ['--no-memory-reducer', here('../bin/skiff.js'), '--routes-file', here('./routes.eskip'), '--ingress-dir', here('./ingress'), ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    skiff.kill(signal);
    echo.kill('SIGTERM');
  });
}
skiff.on('exit', (code) => {
  echo.kill('SIGTERM');
  process.exitCode = code ?? 0;
});
