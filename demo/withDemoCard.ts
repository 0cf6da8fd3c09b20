/**
 * Runs one command against the lab: a private pcscd with the demo NHI card inserted, for trying the
 * host by hand without a reader. Usage: npm run lab -- <program> [args…]
 * (e.g. npm run lab -- dist/host/cardbridge-host doctor).
 */
import { spawn } from 'node:child_process';
import { DEMO_NHI_CARD, NhiCardApplet } from '../lab/cards/nhiCardApplet.ts';
import { Lab } from '../lab/lab.ts';

const [program, ...args] = process.argv.slice(2);
if (!program) {
  process.stderr.write('usage: npm run lab -- <program> [args…]\n');
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
