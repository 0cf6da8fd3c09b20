// `npm test`: prepares the machine, builds the host binary, then typecheck, lint and every test
// (unit and integration through real pcscd + vpcd). Fails when any step fails.
import { preflight, run } from './preflight.mjs';

preflight();
const steps = [
  ['build', 'npm', ['run', 'build']],
  ['typecheck', 'npm', ['run', 'typecheck']],
  ['lint', 'npm', ['run', 'lint']],
  ['tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=./tests/support/summaryReporter.ts']],
];
for (const [name, command, args] of steps) {
  process.stderr.write(`\n[cardbridge] ${name}\n`);
  const status = run(command, args);
  if (status !== 0) {
    process.stderr.write(`[cardbridge] ${name} failed (exit ${status})\n`);
    process.exit(status);
  }
}
