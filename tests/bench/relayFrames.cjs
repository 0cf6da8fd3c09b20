// Native-messaging frames for the bench's relay hosts (relayHost.cjs, pcscRelayHost.cjs): a 32-bit
// little-endian length, then that many bytes of JSON. As little as a host can do, nothing checked.
'use strict';

/** Writes one message as a frame on stdout. */
function writeFrame(message) {
  const body = Buffer.from(JSON.stringify(message));
  const frame = Buffer.allocUnsafe(4 + body.length);
  frame.writeUInt32LE(body.length, 0);
  body.copy(frame, 4);
  process.stdout.write(frame);
}

/** Calls `onRequest` with each request read from stdin (the bench sends one at a time). */
function readFrames(onRequest) {
  let buffer = Buffer.alloc(0);
  process.stdin.on('data', (chunk) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    while (buffer.length >= 4 && buffer.length >= 4 + buffer.readUInt32LE(0)) {
      const length = buffer.readUInt32LE(0);
      const request = JSON.parse(buffer.subarray(4, 4 + length).toString('utf8'));
      buffer = buffer.subarray(4 + length);
      onRequest(request);
    }
  });
}

module.exports = { writeFrame, readFrames };
