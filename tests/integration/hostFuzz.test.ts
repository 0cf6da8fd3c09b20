/**
 * The built host fuzzed over real native messaging (issue 15): commands and arguments a page could
 * make the extension send — reader names, certificate ids, origins, PINs, paths, unknown commands and
 * fields — drawn by fast-check. Canaries are FIFOs named like a PKCS#11 module, a PKCS#12 file and a
 * config file: opening one for reading blocks until a writer comes, and a writer opened with
 * O_NONBLOCK finds a reader only while someone has it open. So after every request: the host answered
 * (a result or a protocol error code), kept serving, wrote nothing but frames on stdout, and never
 * had a canary open. FUZZ_RUNS (default 60) and the printed FUZZ_SEED bound and replay the run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_COMMANDS } from '../../shared/protocol/commands.ts';
import { isErrorCode } from '../../shared/protocol/errors.ts';
import { hasReader } from './helpers/fifoCanary.ts';
import { HostProcess } from './helpers/hostProcess.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
console.info(`hostFuzz: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}`);

let dir: string;
let canaries: string[];
let host: HostProcess;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cardbridge-hostfuzz-'));
  canaries = ['canary-pkcs11.so', 'canary.p12', 'canary-config.json'].map((name) => path.join(dir, name));
  for (const fifo of canaries) execFileSync('mkfifo', [fifo]);
  host = new HostProcess({
    env: {
      // Configured for nothing: no modules, no PKCS#12 files, a config file that does not exist.
      CARDBRIDGE_CONFIG: path.join(dir, 'no-config.json'),
      CARDBRIDGE_PKCS11_MODULES: '',
      CARDBRIDGE_PKCS12_FILES: '',
    },
  });
});
afterAll(async () => {
  await host?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the built host fuzzed with hostile commands and arguments', () => {
  it('answers every request, keeps serving and never opens a file, module or reader it was not given', async () => {
    const hostileText = fc.oneof(
      fc.constantFrom(
        ...canaries,
        `file://${canaries[0]}`,
        `${dir}/../${path.basename(dir)}/canary.p12`,
        '../../../../etc/passwd',
        '/dev/zero',
        '\\\\?\\C:\\Windows\\System32\\HiCOSPKCS11.dll',
        'Virtual PCD 00 00',
        'Virtual PCD 00 00\u0000',
        '*',
        '',
        '%s%n',
        '__proto__',
      ),
      fc.string({ unit: 'binary', maxLength: 300 }),
    );
    const argument = fc.oneof(
      hostileText,
      fc.integer(),
      fc.constant(null),
      fc.array(hostileText, { maxLength: 2 }),
    );
    const args = fc.dictionary(
      fc.constantFrom(
        'reader',
        'certificateId',
        'origin',
        'pin',
        'challenge',
        'challengeNonce',
        'hash',
        'module',
        'path',
        'file',
        '__proto__',
      ),
      argument,
      { maxKeys: 4 },
    );
    const command = fc.oneof(
      {
        weight: 5,
        arbitrary: fc.constantFrom(...Object.keys(HOST_COMMANDS).filter((c) => c !== 'events.subscribe')),
      },
      { weight: 1, arbitrary: fc.constantFrom('pkcs11.load', 'file.read', 'constructor', '__proto__', '') },
    );
    await fc.assert(
      fc.asyncProperty(command, args, async (name, values) => {
        // An empty command is no request at all: the contract answers it with id null.
        const reply =
          name === ''
            ? await (async () => {
                const answer = host.waitForNext(
                  (m) => m.id === null,
                  30_000,
                  'the answer to an empty command',
                );
                host.send({ id: 'fuzz-empty', command: '', arguments: values });
                const message = await answer;
                expect(message.error?.code).toBe('ERR_BAD_REQUEST');
                return message;
              })()
            : await host.request(name, values, 30_000);
        const what = `${name} ${JSON.stringify(values).slice(0, 300)} → ${JSON.stringify(reply).slice(0, 300)}`;
        if (reply.error) expect(isErrorCode(reply.error.code), what).toBe(true);
        else expect(reply.result, what).toBeDefined();
        for (const fifo of canaries) expect(hasReader(fifo), `${fifo} open after ${what}`).toBe(false);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    // Still serving, frames only, and nothing new beside the canaries.
    expect((await host.request('version')).result).toMatchObject({ protocol: 1 });
    expect(host.strayBytes).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(canaries.map((c) => path.basename(c)).sort());
  }, 600_000);
});
