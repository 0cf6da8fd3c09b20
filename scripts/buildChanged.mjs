// Builds the steps of buildSteps.mjs whose inputs changed since their last build, saying every few
// seconds that a long step is still at work. Used by `npm start` and `npm run bench`.
import { spawn } from 'node:child_process';
import { clearInterval, setInterval } from 'node:timers';
import { BUILD_STEPS, buildDecision, clearStamp, writeStamp } from './buildSteps.mjs';

const PROGRESS_EVERY_MS = 10_000;

export function say(message) {
  process.stdout.write(`[cardbridge] ${message}\n`);
}

/** Runs `npm run <script>`, saying every few seconds that it is still at work; resolves to its status. */
function runWithProgress(root, script, label) {
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

/** Resolves to true when every step is built and current. */
export async function buildChanged(root) {
  for (const step of BUILD_STEPS) {
    const { reason, fingerprint } = buildDecision(root, step);
    if (reason === 'up-to-date') {
      say(`${step.label.zh}沒有變更，不重新建置 / ${step.label.en} has not changed: not rebuilt`);
      continue;
    }
    say(`建置${step.label.zh} / building ${step.label.en}`);
    clearStamp(root, step);
    if ((await runWithProgress(root, step.script, step.label)) !== 0) return false;
    writeStamp(root, step, fingerprint);
  }
  return true;
}
