// `npm start`: prepares the machine, builds what changed since the last start, then runs the whole
// local system (demo/demoSystem.ts): the reference portal on SQLite with a file outbox, the lab's
// virtual cards when this machine has no reader (or with --lab-cards), the host registered for this
// user's browsers, Chromium with the extension when a display exists. Ctrl-C stops everything it started.
import { spawn } from 'node:child_process';
import { buildChanged } from './buildChanged.mjs';
import { preflight, root } from './preflight.mjs';

preflight();
if (!(await buildChanged(root))) process.exit(1);

const child = spawn('npx', ['tsx', 'demo/demoSystem.ts', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
// Ctrl-C reaches the whole process group; the demo stops what it started and then exits.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
