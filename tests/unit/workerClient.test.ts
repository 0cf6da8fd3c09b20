/**
 * The host's side of a PKCS#11 worker, driven against a fake worker script that speaks the IPC
 * protocol (workerProtocol.ts) and misbehaves on request: fails to load, exits or crashes mid-request,
 * never answers, answers out of order.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { HostError } from '../../native-host/src/hostError.ts';
import { silentLogger } from '../../native-host/src/log/logger.ts';
import { TOKEN_FLAG } from '../../native-host/src/tokens/pkcs11/ckr.ts';
import {
  Pkcs11WorkerClient,
  type WorkerClientOptions,
} from '../../native-host/src/tokens/pkcs11/workerClient.ts';
import type { WorkerSlot } from '../../native-host/src/tokens/pkcs11/workerProtocol.ts';
import type { SignInput, TokenInfo } from '../../native-host/src/tokens/types.ts';

const MODULE = '/fake/libHicos_p11v1.so';
/** Starting a Node process can take seconds on a loaded 2-core machine. */
const WAIT = { timeout: 15_000 };

const SLOTS: WorkerSlot[] = [
  {
    slotIndex: 0,
    slotDescription: 'ACS ACR39U ICC Reader 00 00',
    label: 'HiCOS PKI Smart Card',
    serial: '0000123456789012',
    manufacturer: 'Chunghwa Telecom',
    model: 'HiCOS',
    flags: TOKEN_FLAG.TOKEN_INITIALIZED | TOKEN_FLAG.PROTECTED_AUTHENTICATION_PATH,
    certificates: [
      { keyId: '01', der: Buffer.from('certificate one').toString('base64'), hasPrivateKey: true },
      { keyId: '02', der: Buffer.from('certificate two').toString('base64'), hasPrivateKey: false },
    ],
  },
  {
    slotIndex: 1,
    slotDescription: '',
    label: 'TEST token',
    serial: 'SERIAL-2',
    manufacturer: 'SoftHSM project',
    model: 'SoftHSM v2',
    flags: TOKEN_FLAG.TOKEN_INITIALIZED | TOKEN_FLAG.USER_PIN_COUNT_LOW,
    certificates: [
      { keyId: 'abcd', der: Buffer.from('certificate three').toString('base64'), hasPrivateKey: true },
    ],
  },
];

/**
 * The fake worker. argv: mode, state folder, module path (appended by the client). Mode is
 * `kind` or `kind:first` (misbehave in the first worker started only). Every start appends its pid
 * to `<state folder>/starts`.
 */
const FAKE_WORKER = `'use strict';
const fs = require('node:fs');
const path = require('node:path');
const [mode, dir, source] = process.argv.slice(2);
process.chdir(dir); // a crash must not leave a core file anywhere else
fs.appendFileSync(path.join(dir, 'starts'), process.pid + '\\n');
const starts = fs.readFileSync(path.join(dir, 'starts'), 'utf8').trim().split('\\n').length;
const [kind, when] = mode.split(':');
const misbehave = when !== 'first' || starts === 1;
const SLOTS = ${JSON.stringify(SLOTS)};

function answer(m) {
  if (m.op === 'list') return { id: m.id, ok: true, slots: SLOTS };
  if (m.pin === 'wrong') {
    return {
      id: m.id,
      ok: false,
      failure: { code: 'ERR_PIN_INCORRECT', reason: 'CKR_PIN_INCORRECT', details: { retriesLeft: 1 } },
    };
  }
  // The "signature" is the request itself, so the test sees what the worker received.
  return { id: m.id, ok: true, signature: Buffer.from(JSON.stringify({ ...m, source, starts })).toString('base64') };
}

if (kind === 'fail-ready') {
  process.send({ ready: false, failure: { code: 'ERR_CARD_REMOVED', reason: 'cannot load ' + source } });
  setImmediate(() => process.exit(3));
} else {
  process.send({ ready: true });
  const held = [];
  process.on('message', (m) => {
    if (misbehave) {
      if (kind === 'exit') process.exit(1);
      if (kind === 'segv') process.kill(process.pid, 'SIGSEGV');
      if (kind === 'silent') return;
      if (kind === 'reverse') {
        held.push(m);
        if (held.length === 2) for (const h of held.reverse()) process.send(answer(h));
        return;
      }
    }
    process.send(answer(m));
  });
}
`;

let base: string;
let script: string;
const clients: Pkcs11WorkerClient[] = [];

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'cardbridge-worker-'));
  script = path.join(base, 'fakeWorker.cjs');
  writeFileSync(script, FAKE_WORKER);
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

interface Fake {
  client: Pkcs11WorkerClient;
  /** Pids of the workers started so far. */
  starts: () => number[];
}

function fake(mode: string, options: Partial<WorkerClientOptions> = {}): Fake {
  const dir = mkdtempSync(path.join(base, 'state-'));
  const client = new Pkcs11WorkerClient(MODULE, {
    logger: silentLogger,
    command: () => ({ file: process.execPath, args: [script, mode, dir] }),
    ...options,
  });
  clients.push(client);
  const starts = () => {
    try {
      return readFileSync(path.join(dir, 'starts'), 'utf8').trim().split('\n').map(Number);
    } catch {
      return [];
    }
  };
  return { client, starts };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function rejection(promise: Promise<unknown>): Promise<HostError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HostError);
  return error as HostError;
}

const input: SignInput = { scheme: 'pkcs1', hash: 'SHA-256', digest: Buffer.alloc(32, 0xab) };

async function firstToken(client: Pkcs11WorkerClient): Promise<TokenInfo> {
  return (await client.list()).tokens[0]!;
}

describe('list()', { timeout: 30_000 }, () => {
  it('maps the slots to tokens: PIN-pad from the protected authentication path flag, slot description kept', async () => {
    const { client } = fake('ok');
    const { tokens } = await client.list();
    expect(tokens).toEqual([
      {
        kind: 'pkcs11',
        source: MODULE,
        label: 'HiCOS PKI Smart Card',
        serial: '0000123456789012',
        manufacturer: 'Chunghwa Telecom',
        model: 'HiCOS',
        slotDescription: 'ACS ACR39U ICC Reader 00 00',
        pinpad: true,
      },
      {
        kind: 'pkcs11',
        source: MODULE,
        label: 'TEST token',
        serial: 'SERIAL-2',
        manufacturer: 'SoftHSM project',
        model: 'SoftHSM v2',
        pinpad: false,
      },
    ]);
    expect(tokens[1]).not.toHaveProperty('slotDescription');
  });

  it('lists every certificate of every slot with its token, DER decoded, key id and private-key flag', async () => {
    const { client } = fake('ok');
    const { tokens, certificates } = await client.list();
    expect(certificates).toEqual([
      { token: tokens[0], certificate: Buffer.from('certificate one'), keyId: '01', hasPrivateKey: true },
      { token: tokens[0], certificate: Buffer.from('certificate two'), keyId: '02', hasPrivateKey: false },
      { token: tokens[1], certificate: Buffer.from('certificate three'), keyId: 'abcd', hasPrivateKey: true },
    ]);
  });

  it('passes the module path to the worker and reuses one worker for several requests', async () => {
    const { client, starts } = fake('ok');
    await Promise.all([client.list(), client.list()]);
    await client.list();
    const signature = await client.sign(await firstToken(client), '01', '1234', input);
    expect(JSON.parse(signature.toString()) as { source: string }).toMatchObject({ source: MODULE });
    expect(starts()).toHaveLength(1);
  });
});

describe('sign()', { timeout: 30_000 }, () => {
  it('sends serial, key id, PIN and the digest, and returns the signature', async () => {
    const { client } = fake('ok');
    const token = await firstToken(client);
    const signature = await client.sign(token, '01', '123456', {
      scheme: 'pss',
      hash: 'SHA-384',
      digest: Buffer.alloc(48, 0x5a),
    });
    expect(JSON.parse(signature.toString())).toMatchObject({
      op: 'sign',
      serial: token.serial,
      keyId: '01',
      pin: '123456',
      input: { scheme: 'pss', hash: 'SHA-384', digest: Buffer.alloc(48, 0x5a).toString('base64') },
    });
  });

  it('sends a null PIN when there is none (PIN-pad)', async () => {
    const { client } = fake('ok');
    const signature = await client.sign(await firstToken(client), '01', undefined, input);
    const request = JSON.parse(signature.toString()) as Record<string, unknown>;
    expect(request).toHaveProperty('pin', null);
  });

  it("turns the worker's failure into a HostError with its code, reason and details", async () => {
    const { client } = fake('ok');
    const error = await rejection(client.sign(await firstToken(client), '01', 'wrong', input));
    expect(error.code).toBe('ERR_PIN_INCORRECT');
    expect(error.reason).toBe('CKR_PIN_INCORRECT');
    expect(error.details).toEqual({ retriesLeft: 1 });
  });

  it('gives each caller its own answer when the worker answers out of order', async () => {
    const { client } = fake('reverse');
    const token: TokenInfo = { kind: 'pkcs11', source: MODULE, label: 'x', serial: 'S', pinpad: false };
    const [a, b] = await Promise.all([
      client.sign(token, 'key-a', '1111', input),
      client.sign(token, 'key-b', '2222', input),
    ]);
    expect(JSON.parse(a.toString())).toMatchObject({ keyId: 'key-a', pin: '1111' });
    expect(JSON.parse(b.toString())).toMatchObject({ keyId: 'key-b', pin: '2222' });
  });
});

describe('a worker that cannot load its module', { timeout: 30_000 }, () => {
  it('→ HostError with the code the worker reported, naming the module', async () => {
    const { client } = fake('fail-ready');
    const error = await rejection(client.list());
    expect(error.code).toBe('ERR_CARD_REMOVED');
    expect(error.reason).toBe(`cannot load ${MODULE}`);
    expect(error.details).toEqual({ module: MODULE });
  });

  it('is tried again on the next request once it has ended', async () => {
    const { client, starts } = fake('fail-ready');
    await rejection(client.list());
    const [first] = starts();
    await vi.waitFor(() => expect(isRunning(first!)).toBe(false), WAIT);
    expect((await rejection(client.list())).code).toBe('ERR_CARD_REMOVED');
    expect(starts()).toHaveLength(2);
  });
});

describe('a worker that dies mid-request', { timeout: 30_000 }, () => {
  it.each([
    ['exits (process.exit(1))', 'exit:first', '(1)'],
    ['crashes (SIGSEGV)', 'segv:first', '(SIGSEGV)'],
  ])('%s → ERR_TOKEN_UNAVAILABLE, and the next request starts a new worker', async (_name, mode, how) => {
    const { client, starts } = fake(mode);
    const error = await rejection(client.list());
    expect(error.code).toBe('ERR_TOKEN_UNAVAILABLE');
    expect(error.reason).toContain(how);
    expect(error.reason).toContain(MODULE);
    const { tokens } = await client.list();
    expect(tokens).toHaveLength(2);
    const pids = starts();
    expect(pids).toHaveLength(2);
    expect(isRunning(pids[0]!)).toBe(false);
  });

  it('fails every request that was waiting on it', async () => {
    const { client } = fake('exit');
    const token: TokenInfo = { kind: 'pkcs11', source: MODULE, label: 'x', serial: 'S', pinpad: false };
    const errors = await Promise.all([
      rejection(client.list()),
      rejection(client.sign(token, '01', '1', input)),
    ]);
    expect(errors.map((e) => e.code)).toEqual(['ERR_TOKEN_UNAVAILABLE', 'ERR_TOKEN_UNAVAILABLE']);
  });
});

describe('a worker that never answers', { timeout: 30_000 }, () => {
  it('→ ERR_TIMEOUT after listTimeoutMs, the worker is killed, and a later request starts a new one', async () => {
    // The same time-out also bounds the second worker's start and answer: long enough for a Node
    // process to start on a loaded 2-core machine, short enough for the silent one to time out.
    const listTimeoutMs = 3_000;
    const { client, starts } = fake('silent:first', { listTimeoutMs });
    const error = await rejection(client.list());
    expect(error.code).toBe('ERR_TIMEOUT');
    expect(error.reason).toBe(`PKCS#11 module ${MODULE} did not answer in ${listTimeoutMs} ms`);
    const [first] = starts();
    await vi.waitFor(() => expect(isRunning(first!)).toBe(false), WAIT);
    // Known problem (reported): a request made before the killed worker's exit is seen still goes to
    // it and fails with ERR_TOKEN_UNAVAILABLE; hence the wait above.
    const { tokens } = await client.list();
    expect(tokens).toHaveLength(2);
    expect(starts()).toHaveLength(2);
  });

  it('applies signTimeoutMs to signing', async () => {
    const { client, starts } = fake('silent:first', { signTimeoutMs: 200, listTimeoutMs: 60_000 });
    const token: TokenInfo = { kind: 'pkcs11', source: MODULE, label: 'x', serial: 'S', pinpad: false };
    const error = await rejection(client.sign(token, '01', '1', input));
    expect(error.code).toBe('ERR_TIMEOUT');
    expect(error.reason).toContain('200 ms');
    const [first] = starts();
    await vi.waitFor(() => expect(isRunning(first!)).toBe(false), WAIT);
  });
});

describe('close()', { timeout: 30_000 }, () => {
  it('ends the worker', async () => {
    const { client, starts } = fake('ok');
    await client.list();
    const [pid] = starts();
    expect(isRunning(pid!)).toBe(true);
    await client.close();
    expect(isRunning(pid!)).toBe(false);
  });

  it('does nothing when no worker was started, and a later request starts a new worker', async () => {
    const { client, starts } = fake('ok');
    await client.close();
    expect(starts()).toEqual([]);
    await client.list();
    await client.close();
    await client.list();
    expect(starts()).toHaveLength(2);
  });

  it('fails a request still waiting with ERR_TOKEN_UNAVAILABLE', async () => {
    const { client, starts } = fake('silent', { listTimeoutMs: 60_000 });
    const pending = rejection(client.list());
    await vi.waitFor(() => expect(starts()).toHaveLength(1), WAIT);
    await client.close();
    expect((await pending).code).toBe('ERR_TOKEN_UNAVAILABLE');
    expect(isRunning(starts()[0]!)).toBe(false);
  });
});
