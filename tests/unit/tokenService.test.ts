/**
 * All certificate tokens together: stable certificate ids, one inventory over PKCS#11 workers and
 * PKCS#12 files where a broken provider is reported and skipped, lookup by id, and the PIN-pad rule
 * at signing. PKCS#11 modules are played by a fake worker script; PKCS#12 files are real.
 */
import { createHash, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeCertificate } from '../../shared/pki/certificateInfo.ts';
import { HostError } from '../../native-host/src/hostError.ts';
import { silentLogger, type Logger } from '../../native-host/src/log/logger.ts';
import { TOKEN_FLAG } from '../../native-host/src/tokens/pkcs11/ckr.ts';
import type { WorkerSlot } from '../../native-host/src/tokens/pkcs11/workerProtocol.ts';
import {
  certificateId,
  TokenService,
  type ListedCertificate,
  type TokenServiceOptions,
} from '../../native-host/src/tokens/tokenService.ts';
import type { SignInput, TokenInfo } from '../../native-host/src/tokens/types.ts';
import { createTestPki, TEST_IDENTITIES, type TestPki } from '../../lab/pki/testPki.ts';
import { SoftHsmLab } from '../../lab/softhsm.ts';

const PASSWORD = 'TEST-p12-密碼';
const MODULE = '/fake/libHicos_p11v1.so';
const BROKEN_MODULE = '/fake/broken-pkcs11.so';

/** argv: slots file, module path. A module whose path says "broken" fails to load. */
const FAKE_WORKER = `'use strict';
const fs = require('node:fs');
const [slotsFile, source] = process.argv.slice(2);
if (source.includes('broken')) {
  process.send({ ready: false, failure: { code: 'ERR_TOKEN_UNAVAILABLE', reason: 'cannot load ' + source } });
  setImmediate(() => process.exit(3));
} else {
  process.send({ ready: true });
  process.on('message', (m) => {
    if (m.op === 'list') process.send({ id: m.id, ok: true, slots: JSON.parse(fs.readFileSync(slotsFile, 'utf8')) });
    else process.send({ id: m.id, ok: true, signature: Buffer.from(JSON.stringify(m)).toString('base64') });
  });
}
`;

let pki: TestPki;
let lab: SoftHsmLab;
let p12: string;
let missing: string;
let dir: string;
let worker: TokenServiceOptions['worker'];
const services: TokenService[] = [];

beforeAll(async () => {
  pki = await createTestPki();
  lab = SoftHsmLab.create(pki, []);
  p12 = lab.writePkcs12('company', pki.leaves.company, [pki.cas.MOEACA], PASSWORD);
  missing = path.join(lab.dir, 'missing.p12');
  dir = mkdtempSync(path.join(tmpdir(), 'cardbridge-tokens-'));
  const script = path.join(dir, 'fakeWorker.cjs');
  const slotsFile = path.join(dir, 'slots.json');
  writeFileSync(script, FAKE_WORKER);
  const slots: WorkerSlot[] = [
    {
      slotIndex: 0,
      slotDescription: 'TEST PIN-pad Reader 00 00',
      label: 'TEST MOICA',
      serial: 'CARD-0001',
      manufacturer: 'TEST',
      model: 'TEST',
      flags: TOKEN_FLAG.TOKEN_INITIALIZED | TOKEN_FLAG.PROTECTED_AUTHENTICATION_PATH,
      certificates: [
        { keyId: '01', der: pki.leaves.citizenSign.certificate.toString('base64'), hasPrivateKey: true },
        { keyId: '03', der: pki.leaves.citizenEc.certificate.toString('base64'), hasPrivateKey: true },
        { keyId: '99', der: Buffer.from('not a certificate').toString('base64'), hasPrivateKey: true },
      ],
    },
  ];
  writeFileSync(slotsFile, JSON.stringify(slots));
  worker = { command: () => ({ file: process.execPath, args: [script, slotsFile] }), listTimeoutMs: 20_000 };
}, 60_000);

afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
});

afterAll(() => {
  lab?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function service(options: Partial<TokenServiceOptions>): TokenService {
  const s = new TokenService({
    logger: silentLogger,
    pkcs11Modules: [],
    pkcs12Files: [],
    worker,
    ...options,
  });
  services.push(s);
  return s;
}

async function hostError(promise: Promise<unknown>): Promise<HostError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HostError);
  return error as HostError;
}

const token = (overrides: Partial<TokenInfo> = {}): TokenInfo => ({
  kind: 'pkcs11',
  source: MODULE,
  label: 'TEST',
  serial: 'CARD-0001',
  pinpad: false,
  ...overrides,
});

describe('certificateId', () => {
  const der = Buffer.from('certificate');

  it('is a 32-hex-digit id, the same for the same inputs', () => {
    const id = certificateId(token(), '01', der);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(certificateId(token(), '01', Buffer.from('certificate'))).toBe(id);
    // Label, PIN-pad and other display fields do not change it.
    expect(certificateId(token({ label: 'renamed', pinpad: true, manufacturer: 'x' }), '01', der)).toBe(id);
  });

  it('differs with the token serial, key id, module, token kind or certificate', () => {
    const id = certificateId(token(), '01', der);
    const others = [
      certificateId(token({ serial: 'CARD-0002' }), '01', der),
      certificateId(token(), '02', der),
      certificateId(token({ source: '/other/module.so' }), '01', der),
      certificateId(token({ kind: 'pkcs12' }), '01', der),
      certificateId(token(), '01', Buffer.from('certificatf')),
    ];
    expect(new Set([id, ...others]).size).toBe(others.length + 1);
  });

  it('does not let serial and key id run into each other', () => {
    expect(certificateId(token({ serial: 'AB' }), 'C', der)).not.toBe(
      certificateId(token({ serial: 'A' }), 'BC', der),
    );
  });
});

describe('inventory()', () => {
  it('lists the PKCS#12 file’s certificates with info and key, and reports the missing file without throwing', async () => {
    const tokens = service({ pkcs12Files: [p12, missing] });
    expect(tokens.configured).toBe(true);
    const inventory = await tokens.inventory();

    expect(inventory.providers).toHaveLength(2);
    expect(inventory.providers[0]).toMatchObject({ kind: 'pkcs12', source: p12 });
    expect(inventory.providers[0]!.error).toBeUndefined();
    expect(inventory.providers[0]!.tokens).toHaveLength(1);
    expect(inventory.providers[1]).toEqual({
      kind: 'pkcs12',
      source: missing,
      error: expect.stringContaining(missing) as string,
      tokens: [],
    });

    const leaf = inventory.certificates.find((c) => c.certificate.equals(pki.leaves.company.certificate));
    expect(leaf).toBeDefined();
    expect(leaf!.token).toMatchObject({ kind: 'pkcs12', source: p12, pinpad: false });
    expect(leaf!.id).toBe(certificateId(leaf!.token, leaf!.keyId, leaf!.certificate));
    expect(leaf!.key).toEqual({ type: 'RSA' });
    expect(leaf!.info).toEqual(describeCertificate(pki.leaves.company.certificate));
    expect(leaf!.info).toMatchObject({ family: 'MOEACA', subject: { ubn: TEST_IDENTITIES.company.ubn } });
    for (const c of inventory.certificates) expect(c.token.source).toBe(p12);
  });

  it('gives the same ids on every listing and from another service', async () => {
    const first = await service({ pkcs12Files: [p12] }).inventory();
    const again = await service({ pkcs12Files: [p12] }).inventory();
    expect(again.certificates.map((c) => c.id)).toEqual(first.certificates.map((c) => c.id));
    expect(new Set(first.certificates.map((c) => c.id)).size).toBe(first.certificates.length);
  });

  it('merges PKCS#11 modules (first) and PKCS#12 files; a module that fails is reported, the others listed', async () => {
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (_area, message) => warnings.push(message) };
    const tokens = service({ logger, pkcs11Modules: [MODULE, BROKEN_MODULE], pkcs12Files: [p12] });
    const inventory = await tokens.inventory();

    expect(inventory.providers.map((p) => [p.kind, p.source, p.error])).toEqual([
      ['pkcs11', MODULE, undefined],
      ['pkcs11', BROKEN_MODULE, `cannot load ${BROKEN_MODULE}`],
      ['pkcs12', p12, undefined],
    ]);
    expect(inventory.providers[0]!.tokens).toEqual([
      {
        kind: 'pkcs11',
        source: MODULE,
        label: 'TEST MOICA',
        serial: 'CARD-0001',
        manufacturer: 'TEST',
        model: 'TEST',
        slotDescription: 'TEST PIN-pad Reader 00 00',
        pinpad: true,
      },
    ]);

    const fromModule = inventory.certificates.filter((c) => c.token.kind === 'pkcs11');
    // The unreadable certificate is left out (and logged); the two good ones are listed.
    expect(fromModule.map((c) => c.keyId)).toEqual(['01', '03']);
    expect(fromModule.map((c) => c.key)).toEqual([{ type: 'RSA' }, { type: 'EC', curve: 'P-256' }]);
    expect(fromModule.map((c) => c.info.family)).toEqual(['MOICA', 'MOICA']);
    expect(fromModule[0]!.info.subject.idLast4).toBe('6789');
    expect(warnings.some((w) => w.includes('unreadable certificate in TEST MOICA'))).toBe(true);
    expect(warnings.some((w) => w.includes(BROKEN_MODULE))).toBe(true);
    expect(inventory.certificates.some((c) => c.token.kind === 'pkcs12')).toBe(true);
  });

  it('is empty, and not configured, without modules or files', async () => {
    const tokens = service({});
    expect(tokens.configured).toBe(false);
    expect(await tokens.inventory()).toEqual({ providers: [], certificates: [] });
  });
});

describe('find()', () => {
  it('finds a listed certificate by id, listing first when needed', async () => {
    const tokens = service({ pkcs12Files: [p12] });
    const { certificates } = await service({ pkcs12Files: [p12] }).inventory();
    const wanted = certificates.find((c) => c.certificate.equals(pki.leaves.company.certificate))!;
    const found = await tokens.find(wanted.id);
    expect(found.id).toBe(wanted.id);
    expect(found.certificate).toEqual(pki.leaves.company.certificate);
  });

  it('an unknown id → ERR_CERTIFICATE_NOT_FOUND', async () => {
    const tokens = service({ pkcs12Files: [p12, missing] });
    await tokens.inventory();
    const error = await hostError(tokens.find('0'.repeat(32)));
    expect(error.code).toBe('ERR_CERTIFICATE_NOT_FOUND');
  });
});

describe('sign()', () => {
  const input: SignInput = {
    scheme: 'pkcs1',
    hash: 'SHA-256',
    digest: createHash('sha256').update('doc').digest(),
  };

  function handMade(tokenInfo: TokenInfo): ListedCertificate {
    const der = pki.leaves.citizenSign.certificate;
    return {
      token: tokenInfo,
      certificate: der,
      keyId: '01',
      hasPrivateKey: true,
      id: certificateId(tokenInfo, '01', der),
      info: describeCertificate(der),
      key: { type: 'RSA' },
    };
  }

  it('a PIN sent for a PIN-pad token → ERR_BAD_REQUEST (PKCS#11)', async () => {
    const tokens = service({ pkcs11Modules: [MODULE] });
    const error = await hostError(tokens.sign(handMade(token({ pinpad: true })), '123456', input));
    expect(error.code).toBe('ERR_BAD_REQUEST');
  });

  it('a PIN sent for a PIN-pad token → ERR_BAD_REQUEST (whatever the kind of token)', async () => {
    const tokens = service({ pkcs12Files: [p12] });
    const certificate = handMade(token({ kind: 'pkcs12', source: p12, pinpad: true }));
    expect((await hostError(tokens.sign(certificate, PASSWORD, input))).code).toBe('ERR_BAD_REQUEST');
  });

  it('a PIN-pad token without a PIN goes to the token, with a null PIN', async () => {
    const tokens = service({ pkcs11Modules: [MODULE] });
    const signature = await tokens.sign(handMade(token({ pinpad: true })), undefined, input);
    expect(JSON.parse(signature.toString())).toMatchObject({
      op: 'sign',
      serial: 'CARD-0001',
      keyId: '01',
      pin: null,
    });
  });

  it('signs with a PKCS#12 certificate from the inventory and its password', async () => {
    const tokens = service({ pkcs12Files: [p12] });
    const { certificates } = await tokens.inventory();
    const leaf = certificates.find((c) => c.certificate.equals(pki.leaves.company.certificate))!;
    const signature = await tokens.sign(leaf, PASSWORD, input);
    const publicKey = new X509Certificate(pki.leaves.company.certificate).publicKey;
    expect(verify('sha256', Buffer.from('doc'), publicKey, signature)).toBe(true);
    expect((await hostError(tokens.sign(leaf, 'wrong', input))).code).toBe('ERR_PIN_INCORRECT');
  });

  it('a token whose provider is not configured or could not be opened → ERR_TOKEN_UNAVAILABLE', async () => {
    const tokens = service({ pkcs12Files: [p12, missing] });
    const notConfigured = handMade(token({ source: '/not/configured.so' }));
    expect((await hostError(tokens.sign(notConfigured, undefined, input))).code).toBe(
      'ERR_TOKEN_UNAVAILABLE',
    );
    const unopened = handMade(token({ kind: 'pkcs12', source: missing }));
    expect((await hostError(tokens.sign(unopened, PASSWORD, input))).code).toBe('ERR_TOKEN_UNAVAILABLE');
    // Same path but the other kind of provider: not the same token.
    const wrongKind = handMade(token({ kind: 'pkcs11', source: p12 }));
    expect((await hostError(tokens.sign(wrongKind, undefined, input))).code).toBe('ERR_TOKEN_UNAVAILABLE');
  });
});
