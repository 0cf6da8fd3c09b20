// `npm run bench`: builds what changed (the bench measures the built host and extension), then runs
// tests/bench/run.ts with the given arguments.
import { spawn } from 'node:child_process';
import { buildChanged } from './buildChanged.mjs';
import { preflight, root } from './preflight.mjs';

preflight();
if (!(await buildChanged(root))) process.exit(1);
const child = spawn('npx', ['tsx', 'tests/bench/run.ts', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
