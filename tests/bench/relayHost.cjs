#!/usr/bin/env node
// Floor for the bench's `authenticate`: the least a host that keeps each PKCS#11 module in its own
// process must do. It starts the real worker (argv: the worker's executable and arguments), and per
// native-messaging frame only decodes it, sends its `arguments` to the worker as one sign request
// over Node IPC, and frames the worker's answer. No checks, no hashing, no log: what is left is
// what isolation itself costs (the two extra process hops and the worker's own work).
'use strict';
const { spawn } = require('node:child_process');
const { readFrames, writeFrame } = require('./relayFrames.cjs');

const [file, ...args] = process.argv.slice(2);
const worker = spawn(file, args, { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
/** Worker request id → the frame's id. */
const pending = new Map();
let nextId = 1;
let closing = false;

worker.on('message', (message) => {
  if (!('id' in message)) {
    // The worker is ready (or failed to load its module): only now are frames read.
    if (message.ready) readFrames(onRequest);
    else process.exit(3);
    return;
  }
  const frameId = pending.get(message.id);
  pending.delete(message.id);
  writeFrame(
    message.ok
      ? { id: frameId, result: { signature: message.signature } }
      : { id: frameId, error: { code: message.failure.code, message: message.failure.reason } },
  );
});
worker.on('exit', () => process.exit(closing ? 0 : 2));

function onRequest(request) {
  const id = nextId++;
  pending.set(id, request.id);
  worker.send({ ...request.arguments, id, op: 'sign' });
}
process.stdin.on('end', () => {
  closing = true;
  worker.disconnect(); // the worker finalizes its module and exits, then so does this
});
