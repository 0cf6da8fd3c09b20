// Zips dist/chrome and dist/firefox for store upload (dist/cardbridge-<browser>-<version>.zip) and
// runs `web-ext lint` on the Firefox build, failing on errors.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
for (const browser of ['chrome', 'firefox']) {
  const zip = path.join(root, 'dist', `cardbridge-${browser}-${version}.zip`);
  rmSync(zip, { force: true });
  execFileSync('zip', ['-q', '-r', '-X', zip, '.'], {
    cwd: path.join(root, 'dist', browser),
    stdio: 'inherit',
  });
  console.log(`packed ${path.relative(root, zip)}`);
}
const webExt = path.join(root, 'node_modules', '.bin', 'web-ext');
execFileSync(webExt, ['lint', '--source-dir', path.join(root, 'dist', 'firefox'), '--warnings-as-errors'], {
  stdio: 'inherit',
});
