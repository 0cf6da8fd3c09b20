/**
 * A card swapped in its reader, through OpenSC's opensc-pkcs11.so and pcscd: the PKCS#11 worker
 * remembers which slot a token was in, and must never send a PIN meant for one card to the card
 * that took its place. The lab's PIV cards count every VERIFY that carries a PIN.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_PIV_PIN, PivCardApplet, requireOpenSc, OPENSC_MODULE } from '../../lab/cards/pivCardApplet.ts';
import { Lab } from '../../lab/lab.ts';
import { createTestPki, type TestPki } from '../../lab/pki/testPki.ts';
import type { VirtualCard } from '../../lab/vpcd/virtualCard.ts';
import { HostProcess, type HostMessage } from './helpers/hostProcess.ts';

const ORIGIN = 'https://eservice.nhi.gov.tw';

let pki: TestPki;
let lab: Lab;
let first: { applet: PivCardApplet; card: VirtualCard };
let second: { applet: PivCardApplet; card: VirtualCard };
let host: HostProcess;
/** A host with no token module: it only watches the reader, so the tested host's worker is left alone. */
let watcher: HostProcess;

function authenticate(certificateId: string): Promise<HostMessage> {
  return host.request('authenticate', {
    origin: ORIGIN,
    challengeNonce: randomBytes(32).toString('base64'),
    certificateId,
    pin: LAB_PIV_PIN,
  });
}

async function cardPresent(present: boolean): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const status = (await watcher.request('status')).result as { readers: Array<{ cardPresent: boolean }> };
    if (status.readers[0]?.cardPresent === present) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the reader never showed its card ${present ? 'inserted' : 'removed'}`);
}

/** Lists until OpenSC shows the certificate, and gives its id. */
async function idOf(certificate: Buffer): Promise<string> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const listed = (await host.request('certificates.list')).result as {
      certificates: Array<{ id: string; certificate: string }>;
    };
    const mine = listed.certificates.find((c) => Buffer.from(c.certificate, 'base64').equals(certificate));
    if (mine) return mine.id;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the card is never listed');
}

describe('a card swapped in its reader', () => {
  beforeAll(async () => {
    requireOpenSc();
    pki = await createTestPki();
    lab = await Lab.start();
    const card = (leaf: 'citizenSign' | 'company') => {
      const applet = new PivCardApplet({
        certificate: pki.leaves[leaf].certificate,
        privateKey: pki.leaves[leaf].privateKey,
      });
      return { applet, card: lab.card(applet, lab.slot(0)) };
    };
    first = card('citizenSign');
    second = card('company');
    await first.card.insert();
    host = new HostProcess({
      env: { ...lab.env, CARDBRIDGE_PKCS11_MODULES: OPENSC_MODULE, CARDBRIDGE_PKCS12_FILES: '' },
    });
    watcher = new HostProcess({
      env: { ...lab.env, CARDBRIDGE_PKCS11_MODULES: '', CARDBRIDGE_PKCS12_FILES: '' },
    });
  }, 60_000);

  afterAll(async () => {
    await host?.close();
    await watcher?.close();
    await lab?.stop();
  });

  it("sends no PIN to the card that took the signed-in card's place, and serves each card again", async () => {
    const firstId = await idOf(pki.leaves.citizenSign.certificate);
    const before = await authenticate(firstId);
    expect(before.error).toBeUndefined();
    expect(first.applet.counters.pinVerifications).toBe(1);

    // The other card goes into the same reader; the host is not asked to list in between.
    await first.card.remove();
    await cardPresent(false);
    await second.card.insert();
    await cardPresent(true);
    const swapped = await authenticate(firstId);
    expect(swapped.error?.code).toBe('ERR_CARD_REMOVED');
    expect(second.applet.counters.pinVerifications).toBe(0);
    expect(second.applet.counters.signatures).toBe(0);

    // Listed again, the new card serves its own certificate.
    const secondId = await idOf(pki.leaves.company.certificate);
    expect((await authenticate(secondId)).error).toBeUndefined();
    expect(second.applet.counters.pinVerifications).toBe(1);

    // And the first card, back in the reader, is found again under its old id.
    await second.card.remove();
    await cardPresent(false);
    await first.card.insert();
    await cardPresent(true);
    expect(await idOf(pki.leaves.citizenSign.certificate)).toBe(firstId);
    const back = await authenticate(firstId);
    expect(back.error).toBeUndefined();
    expect(first.applet.counters.pinVerifications).toBe(2);
    expect(host.child.exitCode).toBeNull();
  });
});
