#!/usr/bin/env node
// Floor for the bench's `nhi.readBasic`: the least a native-messaging host built like ours (Node,
// PC/SC through koffi with each call on a worker thread) must do. It connects to one reader at
// start (argv: reader name, then the SELECT and READ APDUs in hex), and per frame only decodes it,
// sends the two APDUs and frames the READ answer as base64. No checks, no parsing, no log.
'use strict';
const koffi = require('koffi');
const { readFrames, writeFrame } = require('./relayFrames.cjs');

const [reader, selectHex, readHex] = process.argv.slice(2);
const apdus = [Buffer.from(selectHex, 'hex'), Buffer.from(readHex, 'hex')];
const lib = koffi.load('libpcsclite.so.1');
// pcsc-lite on 64-bit Linux: DWORD and LONG are `unsigned long` and `long`, handles are `long`.
const io = koffi.struct('relay_io_request', { dwProtocol: 'unsigned long', cbPciLength: 'unsigned long' });
const call = (name, args) => lib.func(name, 'long', args);
const establish = call('SCardEstablishContext', ['unsigned long', 'void *', 'void *', koffi.out('long *')]);
const connect = call('SCardConnect', [
  'long',
  'const char *',
  'unsigned long',
  'unsigned long',
  koffi.out('long *'),
  koffi.out('unsigned long *'),
]);
const transmit = call('SCardTransmit', [
  'long',
  koffi.pointer(io),
  'const uint8_t *',
  'unsigned long',
  'void *',
  'uint8_t *',
  koffi.inout('unsigned long *'),
]);

const context = [0];
if (establish(2, null, null, context) !== 0) process.exit(3);
const card = [0];
const protocol = [0];
// SCARD_SHARE_SHARED, T=0 or T=1
if (connect(context[0], reader, 2, 3, card, protocol) !== 0) process.exit(4);
// The send PCI and the answer length as memory laid out once, as the host passes them.
const pci = Buffer.alloc(16);
koffi.encode(pci, 0, io, { dwProtocol: protocol[0], cbPciLength: 16 });
const answer = Buffer.alloc(258);
const answerLength = Buffer.alloc(8);

function send(apdu) {
  answerLength.fill(0).writeUInt32LE(answer.length, 0);
  return new Promise((resolve, reject) =>
    transmit.async(card[0], pci, apdu, apdu.length, null, answer, answerLength, (err, rv) =>
      err || rv !== 0
        ? reject(err ?? new Error(`SCardTransmit ${rv}`))
        : resolve(answer.subarray(0, answerLength.readUInt32LE(0))),
    ),
  );
}

readFrames(async (request) => {
  await send(apdus[0]);
  const data = await send(apdus[1]);
  writeFrame({ id: request.id, result: { record: data.toString('base64') } });
});
process.stdin.on('end', () => process.exit(0));
