/**
 * PIN counters from a real card stack: the built host → OpenSC's own opensc-pkcs11.so → pcscd →
 * vpcd → the lab's PIV card, which checks and counts the PIN itself (SoftHSM never reports "final
 * try" or "locked"). The card counts every VERIFY that carries a PIN, so the test also proves that
 * the host never retries a PIN by itself.
 */
import { createHash, randomBytes, verify, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LAB_PIV_PIN,
  LAB_PIV_WRONG_PINS,
  OPENSC_MODULE,
  PivCardApplet,
  requireOpenSc,
} from '../../lab/cards/pivCardApplet.ts';
import { Lab } from '../../lab/lab.ts';
import { createTestPki, type TestPki } from '../../lab/pki/testPki.ts';
import { HostProcess, type HostMessage } from './helpers/hostProcess.ts';

const ORIGIN = 'https://eservice.nhi.gov.tw';
const WRONG_PINS = LAB_PIV_WRONG_PINS;

let pki: TestPki;
let lab: Lab;
let applet: PivCardApplet;
let host: HostProcess;
let certificateId: string;

const document = Buffer.from('TEST 投保單位加保申報 PIV 2026-12', 'utf8');

function sign(pin: string): Promise<HostMessage> {
  return host.request('sign', {
    origin: ORIGIN,
    certificateId,
    pin,
    hash: createHash('sha256').update(document).digest('base64'),
    hashFunction: 'SHA-256',
    format: 'raw',
    padding: 'pkcs1',
  });
}

/** Runs `action` and says how many PIN tries the card counted during it. */
async function triesDuring<T>(action: () => Promise<T>): Promise<{ reply: T; tries: number }> {
  const before = applet.counters.pinVerifications;
  const reply = await action();
  return { reply, tries: applet.counters.pinVerifications - before };
}

describe('PIN counters of a PIV card behind opensc-pkcs11.so', () => {
  beforeAll(async () => {
    requireOpenSc();
    pki = await createTestPki();
    lab = await Lab.start();
    applet = new PivCardApplet({
      certificate: pki.leaves.citizenSign.certificate,
      privateKey: pki.leaves.citizenSign.privateKey,
    });
    await lab.card(applet, lab.slot(0)).insert();
    host = new HostProcess({
      env: { ...lab.env, CARDBRIDGE_PKCS11_MODULES: OPENSC_MODULE, CARDBRIDGE_PKCS12_FILES: '' },
    });
    // pcscd shows the card a little after it connects: list until OpenSC finds the token.
    for (let attempt = 0; attempt < 50 && !certificateId; attempt++) {
      const listed = (await host.request('certificates.list')).result as {
        certificates: Array<{ id: string; certificate: string }>;
      };
      const mine = listed.certificates.find((c) =>
        Buffer.from(c.certificate, 'base64').equals(pki.leaves.citizenSign.certificate),
      );
      if (mine) certificateId = mine.id;
      else await new Promise((r) => setTimeout(r, 200));
    }
    expect(certificateId, 'the PIV card is listed through OpenSC').toBeTruthy();
  }, 60_000);

  afterAll(async () => {
    await host?.close();
    await lab?.stop();
  });

  it('signs with the right PIN after one VERIFY, and the signature verifies', async () => {
    const { reply, tries } = await triesDuring(() => sign(LAB_PIV_PIN));
    expect(reply.error).toBeUndefined();
    const signature = Buffer.from((reply.result as { signature: string }).signature, 'base64');
    const { publicKey } = new X509Certificate(pki.leaves.citizenSign.certificate);
    expect(verify('sha256', document, publicKey, signature)).toBe(true);
    expect(verify('sha256', randomBytes(16), publicKey, signature)).toBe(false);
    expect(tries).toBe(1);
    expect(applet.counters.signatures).toBe(1);
  });

  it('refuses a wrong PIN with one VERIFY; the right PIN then restores the count', async () => {
    const wrong = await triesDuring(() => sign(WRONG_PINS[0]!));
    expect(wrong.reply.error?.code).toBe('ERR_PIN_INCORRECT');
    expect(wrong.tries).toBe(1);
    expect(applet.pinTriesRemaining).toBe(2);
    // OpenSC knows no maximum for PIV, so it says nothing until the final try.
    expect(wrong.reply.error?.details?.retriesLeft).toBeUndefined();
    const right = await triesDuring(() => sign(LAB_PIV_PIN));
    expect(right.reply.result).toBeDefined();
    expect(right.tries).toBe(1);
    expect(applet.pinTriesRemaining).toBe(3);
  });

  it('says retriesLeft 1 at the final try, then ERR_PIN_LOCKED, one VERIFY per request', async () => {
    const first = await triesDuring(() => sign(WRONG_PINS[1]!));
    expect(first.reply.error?.code).toBe('ERR_PIN_INCORRECT');
    expect(first.tries).toBe(1);
    expect(applet.pinTriesRemaining).toBe(2);

    const second = await triesDuring(() => sign(WRONG_PINS[2]!));
    expect(second.reply.error?.code).toBe('ERR_PIN_INCORRECT');
    expect(second.reply.error?.details).toMatchObject({ retriesLeft: 1 });
    expect(second.tries).toBe(1);
    expect(applet.pinTriesRemaining).toBe(1);

    const third = await triesDuring(() => sign(WRONG_PINS[3]!));
    expect(third.reply.error?.code).toBe('ERR_PIN_LOCKED');
    expect(third.tries).toBe(1);
    expect(applet.pinTriesRemaining).toBe(0);

    // Locked: even the right PIN is refused by the card, and nothing is signed.
    const signatures = applet.counters.signatures;
    const right = await triesDuring(() => sign(LAB_PIV_PIN));
    expect(right.reply.error?.code).toBe('ERR_PIN_LOCKED');
    expect(right.tries).toBeLessThanOrEqual(1);
    expect(applet.counters.signatures).toBe(signatures);
    expect(host.child.exitCode).toBeNull();
  });
});
