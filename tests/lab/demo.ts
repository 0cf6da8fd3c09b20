/**
 * Runs one command against the lab: a private pcscd with the demo NHI card inserted. Used by
 * `npm start` when the machine has no reader. Usage: tsx tests/lab/demo.ts <program> [args…]
 */
import { spawn } from 'node:child_process';
import { DEMO_NHI_CARD, NhiCardApplet } from './cards/nhiCardApplet.ts';
import { Lab } from './lab.ts';

const [program, ...args] = process.argv.slice(2);
if (!program) {
  process.stderr.write('usage: tsx tests/lab/demo.ts <program> [args…]\n');
  process.exit(2);
}

const lab = await Lab.start();
let status = 1;
try {
  const card = lab.card(new NhiCardApplet(DEMO_NHI_CARD), lab.slot(0));
  await card.insert();
  // Give pcscd a moment to notice the card before the program looks.
  await new Promise((r) => setTimeout(r, 800));
  status = await new Promise<number>((resolve) => {
    const child = spawn(program, args, { stdio: 'inherit', env: { ...process.env, ...lab.env } });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code) => resolve(code ?? 1));
  });
} finally {
  await lab.stop();
}
process.exit(status);
