/**
 * The built host fuzzed with its state configured (issue 15): a SoftHSM token as its PKCS#11 module
 * and a virtual NHI card in the lab's pcscd, so requests reach the token, the PIN check and the card.
 * fast-check draws requests that are valid for the real certificate and reader, then mutates one
 * field (dropped, replaced by a hostile value, or an unknown field added), with the token's PIN or a
 * wrong one, sometimes malformed around the PIN (too long, in an array). After every request: the
 * host answered with a result or a documented error and never had a FIFO canary open. At the end:
 * the PINs appear in no frame the host wrote nor in its log (file and stderr, at debug level); the
 * holder's ID number, card number and name appear only in the card's own answers (nhi.readBasic,
 * nhi.authenticate) and never in the log. FUZZ_RUNS (default 150) and the printed FUZZ_SEED bound and replay the run.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_NHI_CARD, NhiCardApplet, type NhiCardData } from '../../lab/cards/nhiCardApplet.ts';
import { Lab } from '../../lab/lab.ts';
import { createTestPki } from '../../lab/pki/testPki.ts';
import { LAB_TOKENS, SoftHsmLab } from '../../lab/softhsm.ts';
import { HOST_COMMANDS } from '../../shared/protocol/commands.ts';
import { isErrorCode } from '../../shared/protocol/errors.ts';
import { hasReader } from './helpers/fifoCanary.ts';
import { HostProcess } from './helpers/hostProcess.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
console.info(`hostFuzzConfigured: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}`);

/** The token's PIN and a wrong one: distinctive digits, so a hit is a leak and not a coincidence. */
const PIN = '80417352';
const WRONG_PIN = '59263741';
const ORIGIN = 'https://eservice.nhi.gov.tw';
/** A holder of its own (the demo holder's name is also on the token's certificate, which is public). */
const CARD: NhiCardData = {
  ...DEMO_NHI_CARD,
  cardNumber: '000012345681',
  idNumber: 'E122334457',
  name: '林秀英',
};
const HOLDER = [CARD.idNumber, CARD.cardNumber, CARD.name];

let dir: string;
let canaries: string[];
let lab: Lab;
let hsm: SoftHsmLab;
let host: HostProcess;
let stderr = '';

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cardbridge-hostfuzz-configured-'));
  canaries = ['canary-pkcs11.so', 'canary.p12'].map((name) => path.join(dir, name));
  for (const fifo of canaries) execFileSync('mkfifo', [fifo]);
  const pki = await createTestPki();
  hsm = SoftHsmLab.create(pki, [{ ...LAB_TOKENS[0]!, pin: PIN }]);
  lab = await Lab.start();
  const card = new NhiCardApplet(CARD);
  await lab.card(card, lab.slot(0)).insert();
  host = new HostProcess({
    env: {
      ...lab.env,
      ...hsm.env,
      CARDBRIDGE_PKCS11_MODULES: hsm.module,
      CARDBRIDGE_PKCS12_FILES: '',
      CARDBRIDGE_LOG_STDERR: '1',
    },
  });
  host.child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  // The card reads at the end must find it: the host sees it some time after the insert.
  await host.untilCardsSeen([card.atr.toString('hex')]);
}, 120_000);
afterAll(async () => {
  await host?.close();
  await lab?.stop();
  hsm?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the built host fuzzed with a token and a card present', () => {
  it('answers every request and keeps PINs and holder data out of its output and log', async () => {
    const listed = (await host.request('certificates.list', {}, 60_000)).result as {
      certificates: Array<{ id: string }>;
    };
    const certificateId = listed.certificates[0]?.id;
    expect(certificateId, 'the token lists a certificate').toBeDefined();
    const reader = lab.slot(0).reader;
    const base64 = (bytes: number) => randomBytes(bytes).toString('base64');

    /** A valid request for each command, against the configured token and card. */
    const valid = (command: string, pin: string): Record<string, unknown> => {
      switch (command) {
        case 'authenticate':
          return { origin: ORIGIN, challengeNonce: base64(32), certificateId: certificateId!, pin };
        case 'sign':
          return {
            origin: ORIGIN,
            certificateId: certificateId!,
            pin,
            hash: base64(32),
            hashFunction: 'SHA-256',
            format: 'raw',
          };
        case 'nhi.readBasic':
          return { reader };
        case 'nhi.authenticate':
          return { challenge: base64(32), reader };
        default:
          return {};
      }
    };
    const hostile = fc.oneof(
      fc.constantFrom(
        ...canaries,
        `${reader}\u0000`,
        `${reader} `,
        reader.toUpperCase(),
        'Virtual PCD 00 01',
        '*',
        '',
        `${certificateId}/../${certificateId}`,
        certificateId!.toUpperCase(),
        '../../../../etc/passwd',
        '__proto__',
        `${PIN}${'9'.repeat(70)}`,
        [PIN],
        { pin: PIN },
      ),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.integer(),
      fc.constant(null),
    );
    const request = fc.record({
      command: fc.constantFrom(...Object.keys(HOST_COMMANDS).filter((c) => c !== 'events.subscribe')),
      pin: fc.constantFrom(PIN, WRONG_PIN),
      mutation: fc.constantFrom('none', 'replace', 'drop', 'add'),
      field: fc.constantFrom(
        'origin',
        'challengeNonce',
        'certificateId',
        'pin',
        'hash',
        'reader',
        'challenge',
        'format',
      ),
      value: hostile,
    });

    await fc.assert(
      fc.asyncProperty(request, async ({ command, pin, mutation, field, value }) => {
        const args = valid(command, pin);
        if (mutation === 'replace' && field in args) args[field] = value;
        if (mutation === 'drop') delete args[field];
        if (mutation === 'add') args[`x-${field}`] = value;
        const reply = await host.request(command, args, 60_000);
        const what = `${command} ${JSON.stringify(args).slice(0, 300)} → ${JSON.stringify(reply).slice(0, 300)}`;
        if (reply.error) expect(isErrorCode(reply.error.code), what).toBe(true);
        else expect(reply.result, what).toBeDefined();
        for (const fifo of canaries) expect(hasReader(fifo), `${fifo} open after ${what}`).toBe(false);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    // Every free-text field the host checks against what it has, holding the PIN: whatever the
    // random draws reached, each such refusal is logged without the request's text.
    const pasted = `${PIN}${'9'.repeat(70)}`;
    for (const [command, field, code] of [
      ['nhi.readBasic', 'reader', 'ERR_READER_NOT_FOUND'],
      ['nhi.authenticate', 'reader', 'ERR_READER_NOT_FOUND'],
      ['authenticate', 'certificateId', 'ERR_CERTIFICATE_NOT_FOUND'],
      ['sign', 'certificateId', 'ERR_CERTIFICATE_NOT_FOUND'],
    ] as const) {
      const reply = await host.request(command, { ...valid(command, PIN), [field]: pasted }, 60_000);
      expect(reply.error?.code, `${command} with ${field} unknown`).toBe(code);
    }
    // The PIN and the holder's data did flow: a correct authenticate and a card read.
    const signed = await host.request('authenticate', valid('authenticate', PIN), 60_000);
    expect(signed.result, JSON.stringify(signed.error)).toBeDefined();
    const read = await host.request('nhi.readBasic', { reader }, 60_000);
    expect(JSON.stringify(read.result), JSON.stringify(read.error)).toContain(CARD.idNumber);
    const wrong = await host.request('authenticate', valid('authenticate', WRONG_PIN), 60_000);
    expect(wrong.error?.code).toBe('ERR_PIN_INCORRECT');

    await host.close();
    const log = `${readFileSync(host.logFile, 'utf8')}\n${stderr}`;
    expect(log.length, 'the host logged at debug level').toBeGreaterThan(0);
    for (const secret of [PIN, WRONG_PIN, ...HOLDER]) expect(log, 'the host log').not.toContain(secret);
    for (const message of host.messages) {
      const text = JSON.stringify(message);
      for (const secret of [PIN, WRONG_PIN]) expect(text, 'a frame from the host').not.toContain(secret);
      // The card's own answers carry its data by design (nhi.readBasic; nhi.authenticate names the
      // card number); every other frame carries none of it.
      const isCardAnswer = Object.hasOwn(message.result ?? {}, 'cardNumber');
      if (!isCardAnswer) for (const held of HOLDER) expect(text, 'a frame from the host').not.toContain(held);
    }
    expect(host.strayBytes).toBe(0);
  }, 900_000);
});
