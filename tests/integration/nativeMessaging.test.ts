/** The protocol contract, through the built binary: framing, limits, ids and error frames. */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { HostProcess } from './helpers/hostProcess.ts';

const hosts: HostProcess[] = [];
function startHost(args?: string[]): HostProcess {
  // No pcscd needed for protocol tests: point the client at a socket that does not exist.
  const host = new HostProcess({ env: { PCSCLITE_CSOCK_NAME: '/nonexistent/pcscd.comm' }, args });
  hosts.push(host);
  return host;
}
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.close()));
});

function frame(body: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32LE(body.length);
  return Buffer.concat([header, body]);
}

describe('native messaging protocol v1', () => {
  it('answers version with the package version and protocol 1', async () => {
    const host = startHost();
    const reply = await host.request('version');
    expect(reply.id).toBe('req-1');
    expect(reply.result).toEqual({ version: packageJson.version, protocol: 1 });
    expect(packageJson.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('serves when started the way Firefox starts it (manifest path and add-on id)', async () => {
    const host = startHost([
      '/home/u/.mozilla/native-messaging-hosts/tw.cardbridge.host.json',
      'cardbridge@cardbridge.tw',
    ]);
    expect((await host.request('version')).result).toMatchObject({ protocol: 1 });
  });

  it('answers frames that are not valid requests with ERR_BAD_REQUEST and id null, and keeps serving', async () => {
    const host = startHost();
    host.sendRaw(frame(Buffer.from('{not json')));
    host.sendRaw(frame(Buffer.from([0xff, 0xfe, 0x7b])));
    host.send({ command: 'version' });
    host.send({ id: 7, command: 'version' });
    host.send({ id: 'x' });
    host.send([1, 2, 3]);
    const ok = await host.request('version');
    expect(ok.result).toMatchObject({ protocol: 1 });
    const errors = host.messages.filter((m) => m.error);
    expect(errors).toHaveLength(6);
    for (const e of errors) {
      expect(e.id).toBeNull();
      expect(e.error?.code).toBe('ERR_BAD_REQUEST');
      expect(e.error?.message).toEqual(expect.any(String));
    }
  });

  it('refuses arguments that do not match the command, naming the request', async () => {
    const host = startHost();
    const reply = await host.request('nhi.readBasic', { reader: 42 });
    expect(reply.id).toBe('req-1');
    expect(reply.error?.code).toBe('ERR_BAD_REQUEST');
    expect(String(reply.error?.details?.reason)).toContain('/reader');
  });

  it('answers an unknown command with ERR_UNKNOWN_COMMAND', async () => {
    const host = startHost();
    const reply = await host.request('card.selfDestruct');
    expect(reply.error?.code).toBe('ERR_UNKNOWN_COMMAND');
    expect(reply.id).toBe('req-1');
  });

  it('decodes requests split at every byte and several requests in one write', async () => {
    const host = startHost();
    const bytes = Buffer.concat([
      frame(Buffer.from(JSON.stringify({ id: 'a', command: 'version' }))),
      frame(Buffer.from(JSON.stringify({ id: 'b', command: 'version' }))),
    ]);
    for (const byte of bytes) {
      host.sendRaw(Buffer.from([byte]));
      await new Promise((r) => setImmediate(r));
    }
    host.sendRaw(
      Buffer.concat([
        frame(Buffer.from(JSON.stringify({ id: 'c', command: 'version' }))),
        frame(Buffer.from(JSON.stringify({ id: 'd', command: 'version' }))),
        frame(Buffer.from(JSON.stringify({ id: 'e', command: 'version' }))),
      ]),
    );
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      expect((await host.waitFor((m) => m.id === id)).result).toMatchObject({ protocol: 1 });
    }
    expect(host.strayBytes).toBe(0);
  });

  it('refuses a frame over 1 MiB with one error frame and exits non-zero', async () => {
    const host = startHost();
    const header = Buffer.alloc(4);
    header.writeUInt32LE(1024 * 1024 + 1);
    host.sendRaw(header);
    const reply = await host.waitFor((m) => m.error?.code === 'ERR_MESSAGE_TOO_LARGE');
    expect(reply.id).toBeNull();
    const { code } = await host.exited;
    expect(code).not.toBe(0);
    expect(host.messages).toHaveLength(1);
    // Logged as the host stops: deferred lines still reach the file.
    expect(readFileSync(host.logFile, 'utf8')).toContain('stopping: message too large');
  });

  it('accepts a request of exactly 1 MiB', async () => {
    const host = startHost();
    const base = JSON.stringify({ id: 'big', command: 'version', arguments: { pad: '' } });
    const pad = 'x'.repeat(1024 * 1024 - Buffer.byteLength(base));
    host.sendRaw(frame(Buffer.from(JSON.stringify({ id: 'big', command: 'version', arguments: { pad } }))));
    // `version` takes no arguments: the size is accepted, the arguments are not.
    const reply = await host.waitFor((m) => m.id === 'big');
    expect(reply.error?.code).toBe('ERR_BAD_REQUEST');
  });

  it('exits cleanly when the browser closes stdin', async () => {
    const host = startHost();
    await host.request('version');
    expect((await host.close()).code).toBe(0);
    expect(readFileSync(host.logFile, 'utf8')).toContain('browser closed the connection');
  });

  it('prints usage for unknown command-line arguments instead of waiting on stdin', async () => {
    const host = startHost(['--no-such-flag']);
    const { code } = await host.exited;
    expect(code).toBe(2);
    expect(host.messages).toHaveLength(0);
  });
});
