/**
 * SoftHSM tokens loaded with the test PKI, standing in for HiCOS cards: a citizen card with its
 * signature, encryption and EC certificates, unit cards for MOEACA, GCA and XCA, and a card holding
 * the broken cases. Also PKCS#12 files of the same identities, and a crashing module for isolation
 * tests. Everything lives in one temporary folder, removed by dispose().
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import type { IssuedCertificate, LeafName, TestPki } from './pki/testPki.ts';

export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

export interface LabToken {
  label: string;
  pin: string;
  objects: Array<{ leaf: LeafName; id: string }>;
}

/** The lab's cards: PINs are test values, printed by the demo. */
export const LAB_TOKENS: readonly LabToken[] = [
  {
    label: 'TEST MOICA 王大明',
    pin: '123456',
    objects: [
      { leaf: 'citizenSign', id: '01' },
      { leaf: 'citizenEncrypt', id: '02' },
      { leaf: 'citizenEc', id: '03' },
    ],
  },
  { label: 'TEST MOEACA 卡橋測試', pin: '222222', objects: [{ leaf: 'company', id: '01' }] },
  { label: 'TEST GCA 測試署', pin: '333333', objects: [{ leaf: 'agency', id: '01' }] },
  { label: 'TEST XCA 測試協會', pin: '444444', objects: [{ leaf: 'organisation', id: '01' }] },
  {
    label: 'TEST broken cases',
    pin: '555555',
    objects: [
      { leaf: 'citizenExpired', id: '01' },
      { leaf: 'citizenNotYetValid', id: '02' },
      { leaf: 'citizenRevoked', id: '03' },
      { leaf: 'citizenForeign', id: '04' },
    ],
  },
];

export function softHsmPrerequisites(): string[] {
  const missing: string[] = [];
  if (!existsSync(SOFTHSM_MODULE)) missing.push('softhsm2');
  if (spawnSync('sh', ['-c', 'command -v pkcs11-tool'], { stdio: 'ignore' }).status !== 0)
    missing.push('opensc');
  return missing;
}

/** A PKCS#12 file's bytes (RSA only): readable certificates, the key under `password` (AES-256). */
export function pkcs12Bytes(
  name: string,
  leaf: IssuedCertificate,
  chain: IssuedCertificate[],
  password: string,
): Buffer {
  const toForgeCert = (der: Buffer) =>
    forge.pki.certificateFromAsn1(forge.asn1.fromDer(der.toString('binary')));
  const key = forge.pki.privateKeyFromAsn1(forge.asn1.fromDer(leaf.privateKey.toString('binary')));
  const p12 = forge.pkcs12.toPkcs12Asn1(
    key,
    [toForgeCert(leaf.certificate), ...chain.map((c) => toForgeCert(c.certificate))],
    password,
    { algorithm: 'aes256', friendlyName: name },
  );
  return Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
}

export class SoftHsmLab {
  readonly dir: string;
  readonly confPath: string;
  readonly module = SOFTHSM_MODULE;

  private constructor() {
    this.dir = mkdtempSync(path.join(tmpdir(), 'cardbridge-softhsm-'));
    mkdirSync(path.join(this.dir, 'tokens'));
    this.confPath = path.join(this.dir, 'softhsm2.conf');
    writeFileSync(
      this.confPath,
      `directories.tokendir = ${path.join(this.dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`,
    );
  }

  /** Environment for processes that load the SoftHSM module (the host's PKCS#11 workers). */
  get env(): Record<string, string> {
    return { SOFTHSM2_CONF: this.confPath };
  }

  static create(pki: TestPki, tokens: readonly LabToken[] = LAB_TOKENS): SoftHsmLab {
    const missing = softHsmPrerequisites();
    if (missing.length > 0)
      throw new Error(
        `missing packages: ${missing.join(' ')} — run: sudo apt-get install ${missing.join(' ')}`,
      );
    const lab = new SoftHsmLab();
    try {
      for (const token of tokens) lab.addToken(token, pki);
    } catch (error) {
      // Its folder in the temp directory is already made.
      lab.dispose();
      throw error;
    }
    return lab;
  }

  private run(command: string, args: string[]): void {
    execFileSync(command, args, {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  }

  addToken(token: LabToken, pki: TestPki): void {
    this.run('softhsm2-util', [
      '--init-token',
      '--free',
      '--label',
      token.label,
      '--pin',
      token.pin,
      '--so-pin',
      '87654321',
    ]);
    for (const object of token.objects) {
      const leaf = pki.leaves[object.leaf];
      const keyFile = path.join(this.dir, `${object.leaf}.key.der`);
      const certFile = path.join(this.dir, `${object.leaf}.cert.der`);
      writeFileSync(keyFile, leaf.privateKey);
      writeFileSync(certFile, leaf.certificate);
      const common = [
        '--module',
        this.module,
        '--token-label',
        token.label,
        '--login',
        '--pin',
        token.pin,
        '--id',
        object.id,
        '--label',
        object.leaf,
      ];
      this.run('pkcs11-tool', [...common, '--write-object', keyFile, '--type', 'privkey']);
      this.run('pkcs11-tool', [...common, '--write-object', certFile, '--type', 'cert']);
      rmSync(keyFile);
    }
  }

  /** Writes a PKCS#12 file (RSA only) with readable certificates and a password-protected key. */
  writePkcs12(name: string, leaf: IssuedCertificate, chain: IssuedCertificate[], password: string): string {
    const file = path.join(this.dir, `${name}.p12`);
    writeFileSync(file, pkcs12Bytes(name, leaf, chain, password));
    return file;
  }

  /** Compiles the crashing PKCS#11 module (needs a C compiler). */
  crashingModule(): string {
    const out = path.join(this.dir, 'crashing-pkcs11.so');
    execFileSync('cc', [
      '-shared',
      '-fPIC',
      '-o',
      out,
      path.join(import.meta.dirname, 'pkcs11/crashingModule.c'),
    ]);
    return out;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
