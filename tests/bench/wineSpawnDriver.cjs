// Runs under wine with node.exe (a Windows parent gives its children Windows pipes, as a browser
// does): starts each command `rounds` times in turn, asks `version` over native messaging, and
// writes the replies and the spawn → answer times (ms) to a JSON file.
//   node.exe wineSpawnDriver.cjs <result.json> <rounds> '<JSON [[file, ...args], ...]>'
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');

const [resultFile, roundsText, commandsJson] = process.argv.slice(2);
const commands = JSON.parse(commandsJson);

function versionOnce([file, ...args]) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const host = spawn(file, args, { stdio: ['pipe', 'pipe', 'ignore'] });
    const body = Buffer.from(JSON.stringify({ id: 'w', command: 'version' }));
    const head = Buffer.alloc(4);
    head.writeUInt32LE(body.length);
    host.stdin.write(Buffer.concat([head, body]));
    let got = Buffer.alloc(0);
    host.stdout.on('data', (chunk) => {
      got = Buffer.concat([got, chunk]);
      if (got.length < 4 || got.length < 4 + got.readUInt32LE(0)) return;
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const reply = JSON.parse(got.subarray(4, 4 + got.readUInt32LE(0)).toString('utf8'));
      host.removeAllListeners('exit');
      host.on('exit', () => resolve({ ms, reply }));
      host.stdin.end();
      host.kill();
    });
    host.on('exit', (code) => reject(new Error(`${file} exited ${code} before answering`)));
  });
}

(async () => {
  const times = commands.map(() => []);
  const replies = [];
  for (let round = 0; round < Number(roundsText); round++) {
    for (const [i, command] of commands.entries()) {
      const { ms, reply } = await versionOnce(command);
      times[i].push(ms);
      replies[i] = reply;
    }
  }
  fs.writeFileSync(resultFile, JSON.stringify({ replies, times }));
})().catch((error) => {
  fs.writeFileSync(resultFile, JSON.stringify({ error: String(error) }));
  process.exit(1);
});
