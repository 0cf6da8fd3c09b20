// `npm start`: prepares the machine, builds the host, then runs its `doctor`. With no reader on this
// machine (or no smart-card service), the lab's virtual NHI card is used instead.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { preflight, root, run } from './preflight.mjs';

preflight();
if (run('npm', ['run', 'build']) !== 0) process.exit(1);

const host = path.join(root, 'dist/host/cardbridge-host');
const probe = spawnSync(host, ['doctor', '--json'], { encoding: 'utf8' });
let report;
try {
  report = JSON.parse(probe.stdout);
} catch {
  process.stderr.write(probe.stderr || 'doctor gave no report\n');
  process.exit(1);
}
const lang = process.argv.includes('--lang')
  ? ['--lang', process.argv[process.argv.indexOf('--lang') + 1]]
  : [];
if (report.status.pcsc.available && report.status.readers.length > 0) {
  process.exit(run(host, ['doctor', ...lang]));
}
process.stderr.write(
  '[cardbridge] 這台電腦沒有讀卡機：改用卡橋實驗室的虛擬健保卡。 / No card reader here: using the lab virtual NHI card.\n',
);
process.exit(run('npx', ['tsx', 'tests/lab/demo.ts', host, 'doctor', ...lang]));
