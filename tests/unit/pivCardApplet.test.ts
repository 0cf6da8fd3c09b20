/**
 * The lab's PIV card at the APDU level (lab/cards/pivCardApplet.ts): the PIN counter the
 * integration and e2e suites rely on (63Cx, 6983, kept across resets, restored by the right PIN or
 * the PUK), GET DATA with response chaining, and GENERAL AUTHENTICATE with command chaining.
 */
import { constants, generateKeyPairSync, publicDecrypt, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LAB_PIV_PIN, LAB_PIV_PUK, PivCardApplet, readTlvs, tlv } from '../../lab/cards/pivCardApplet.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const certificate = randomBytes(700); // the card stores the object, it does not parse it

const hex = (text: string) => Buffer.from(text.replace(/\s/g, ''), 'hex');
const sw = (response: Buffer) => response.subarray(-2).toString('hex');
const pad = (pin: string) => Buffer.concat([Buffer.from(pin), Buffer.alloc(8 - pin.length, 0xff)]);
const verify = (pin?: string) =>
  pin === undefined ? hex('00200080') : Buffer.concat([hex('0020008008'), pad(pin)]);

/** The whole answer: the data of every piece fetched with GET RESPONSE while the card says 61xx. */
function collect(applet: PivCardApplet, first: Buffer): { data: Buffer; sw: string } {
  let response = first;
  let data = response.subarray(0, -2);
  while (sw(response).startsWith('61')) {
    response = applet.process(hex('00c0000000'));
    data = Buffer.concat([data, response.subarray(0, -2)]);
  }
  return { data, sw: sw(response) };
}

function card(): PivCardApplet {
  const applet = new PivCardApplet({
    certificate,
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }),
  });
  expect(sw(applet.process(hex('00a4040009 a00000030800001000')))).toBe('9000');
  return applet;
}

describe('lab PIV card', () => {
  it('counts wrong PINs down to 6983, keeps the count across a reset, and only counts PIN-bearing VERIFYs', () => {
    const applet = card();
    expect(sw(applet.process(verify()))).toBe('63c3');
    expect(sw(applet.process(verify('11111111')))).toBe('63c2');
    applet.reset();
    applet.process(hex('00a4040009 a00000030800001000'));
    expect(sw(applet.process(verify('22222222')))).toBe('63c1');
    expect(sw(applet.process(verify('33333333')))).toBe('6983');
    expect(sw(applet.process(verify(LAB_PIV_PIN)))).toBe('6983');
    expect(applet.counters).toMatchObject({ pinVerifications: 4, pinStatusQueries: 1 });
    // The PUK unblocks it and sets the count back.
    const unblock = Buffer.concat([hex('002c008010'), pad(LAB_PIV_PUK), pad(LAB_PIV_PIN)]);
    expect(sw(applet.process(unblock))).toBe('9000');
    expect(sw(applet.process(verify(LAB_PIV_PIN)))).toBe('9000');
    expect(applet.pinTriesRemaining).toBe(3);
  });

  it('serves the certificate object in 256-byte pieces through GET RESPONSE', () => {
    const applet = card();
    const { data, sw: status } = collect(applet, applet.process(hex('00cb3fff05 5c035fc105 00')));
    expect(status).toBe('9000');
    const object = readTlvs(readTlvs(data).get(0x53)!);
    expect(object.get(0x70)).toEqual(certificate);
    expect(sw(applet.process(hex('00cb3fff05 5c035fc10a 00')))).toBe('6a82');
  });

  it('signs a chained 256-byte block only after the PIN, with the raw RSA operation', () => {
    const applet = card();
    const block = Buffer.concat([hex('0001'), Buffer.alloc(221, 0xff), hex('00'), randomBytes(32)]);
    const body = tlv(0x7c, Buffer.concat([tlv(0x82, Buffer.alloc(0)), tlv(0x81, block)]));
    const send = () => {
      expect(
        sw(applet.process(Buffer.concat([hex('1087079a'), Buffer.from([200]), body.subarray(0, 200)]))),
      ).toBe('9000');
      const rest = body.subarray(200);
      return applet.process(Buffer.concat([hex('0087079a'), Buffer.from([rest.length]), rest, hex('00')]));
    };
    expect(sw(send())).toBe('6982');
    applet.process(verify(LAB_PIV_PIN));
    const answer = collect(applet, send());
    expect(answer.sw).toBe('9000');
    const signature = readTlvs(readTlvs(answer.data).get(0x7c)!).get(0x82)!;
    expect(publicDecrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, signature)).toEqual(block);
    expect(applet.counters.signatures).toBe(1);
  });
});
