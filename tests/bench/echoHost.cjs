#!/usr/bin/env node
// Baseline for the bench: the smallest native messaging host Node can be. Answers every request
// with a fixed result, framed like the real host.
'use strict';
let buffer = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  while (buffer.length >= 4 && buffer.length >= 4 + buffer.readUInt32LE(0)) {
    const length = buffer.readUInt32LE(0);
    const request = JSON.parse(buffer.subarray(4, 4 + length).toString('utf8'));
    buffer = buffer.subarray(4 + length);
    const body = Buffer.from(JSON.stringify({ id: request.id, result: { version: '0.0.0', protocol: 1 } }));
    const header = Buffer.alloc(4);
    header.writeUInt32LE(body.length);
    process.stdout.write(Buffer.concat([header, body]));
  }
});
process.stdin.on('end', () => process.exit(0));
