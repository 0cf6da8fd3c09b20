// Runs under wine with node.exe, so the host gets the Windows pipes a browser gives it: starts the
// host, sends each request in turn over native messaging and writes the replies to a JSON file.
// A `status` request is repeated until a reader shows a card (pcscd sees a vpcd card a moment after
// it is inserted), up to 60 tries.
//   node.exe wineMessagingDriver.cjs <result.json> '<JSON [file, ...args]>' '<JSON [request, ...]>'
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const { setTimeout: sleep } = require('node:timers/promises');

const [resultFile, commandJson, requestsJson] = process.argv.slice(2);
const [file, ...args] = JSON.parse(commandJson);
const requests = JSON.parse(requestsJson);

const host = spawn(file, args, { stdio: ['pipe', 'pipe', 'ignore'] });
let got = Buffer.alloc(0);
let waiting;
host.stdout.on('data', (chunk) => {
  got = Buffer.concat([got, chunk]);
  while (got.length >= 4 && got.length >= 4 + got.readUInt32LE(0)) {
    const message = JSON.parse(got.subarray(4, 4 + got.readUInt32LE(0)).toString('utf8'));
    got = got.subarray(4 + got.readUInt32LE(0));
    if (waiting && message.id === waiting.id) waiting.resolve(message);
  }
});
host.on('exit', (code) => waiting?.reject(new Error(`the host exited ${code} before answering`)));

function ask(request) {
  return new Promise((resolve, reject) => {
    waiting = { id: request.id, resolve, reject };
    const body = Buffer.from(JSON.stringify(request));
    const head = Buffer.alloc(4);
    head.writeUInt32LE(body.length);
    host.stdin.write(Buffer.concat([head, body]));
  });
}

const cardShown = (reply) => (reply.result?.readers ?? []).some((r) => r.cardPresent);

(async () => {
  const replies = [];
  for (const request of requests) {
    let reply = await ask(request);
    for (let i = 0; request.command === 'status' && !cardShown(reply) && i < 60; i++) {
      await sleep(250);
      reply = await ask(request);
    }
    replies.push(reply);
  }
  host.removeAllListeners('exit');
  host.stdin.end();
  host.kill();
  fs.writeFileSync(resultFile, JSON.stringify({ replies }));
})().catch((error) => {
  fs.writeFileSync(resultFile, JSON.stringify({ error: String(error) }));
  process.exit(1);
});
