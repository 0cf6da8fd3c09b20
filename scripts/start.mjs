// `npm start`: prepares the machine, builds what changed since the last start, then runs the whole
// local system (demo/demoSystem.ts): the reference portal on SQLite with a file outbox, the lab's
// virtual cards when this machine has no reader (or with --lab-cards), the host registered for this
// user's browsers, Chromium with the extension when a display exists. Ctrl-C stops everything it started.
import { spawn } from 'node:child_process';
import { clearInterval, setInterval } from 'node:timers';
import { BUILD_STEPS, buildDecision, clearStamp, writeStamp } from './buildSteps.mjs';
import { preflight, root } from './preflight.mjs';

const PROGRESS_EVERY_MS = 10_000;

function say(message) {
  process.stdout.write(`[cardbridge] ${message}\n`);
}

/** Runs `npm run <script>`, saying every few seconds that it is still at work; resolves to its status. */
function runWithProgress(script, label) {
  const started = Date.now();
  const child = spawn('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
  const progress = setInterval(() => {
    const seconds = Math.round((Date.now() - started) / 1000);
    say(`仍在建置${label.zh}（${seconds} 秒）/ still building ${label.en} (${seconds} s)`);
  }, PROGRESS_EVERY_MS);
  return new Promise((resolve) => {
    child.once('error', () => resolve(1));
    child.once('exit', (code) => resolve(code ?? 1));
  }).finally(() => clearInterval(progress));
}

async function build() {
  for (const step of BUILD_STEPS) {
    const { reason, fingerprint } = buildDecision(root, step);
    if (reason === 'up-to-date') {
      say(`${step.label.zh}沒有變更，不重新建置 / ${step.label.en} has not changed: not rebuilt`);
      continue;
    }
    say(`建置${step.label.zh} / building ${step.label.en}`);
    clearStamp(root, step);
    if ((await runWithProgress(step.script, step.label)) !== 0) return false;
    writeStamp(root, step, fingerprint);
  }
  return true;
}

preflight();
if (!(await build())) process.exit(1);

const child = spawn('npx', ['tsx', 'demo/demoSystem.ts', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
// Ctrl-C reaches the whole process group; the demo stops what it started and then exits.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
