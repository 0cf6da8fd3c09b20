// `npm run bench` / `npm run soak`: builds what changed (both measure the built host and extension),
// then runs the given TypeScript entry with the remaining arguments.
import { spawn } from 'node:child_process';
import { buildChanged } from './buildChanged.mjs';
import { preflight, root } from './preflight.mjs';

const [entry, ...rest] = process.argv.slice(2);
preflight();
if (!(await buildChanged(root))) process.exit(1);
const child = spawn('npx', ['tsx', entry, ...rest], { cwd: root, stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
