/**
 * The built host maps its FFI addon (koffi) once, however often it retries PC/SC: inside the single
 * executable each load writes the addon to a new temporary file, and each of those would be another
 * copy of it in memory, one more for every retry while pcscd is away.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { HostProcess } from './helpers/hostProcess.ts';

let host: HostProcess | undefined;

afterAll(async () => {
  await host?.close();
});

/** The distinct files named koffi.node mapped into a process. */
function koffiMappings(pid: number): Set<string> {
  const files = readFileSync(`/proc/${pid}/maps`, 'utf8')
    .split('\n')
    .map((line) => line.split(/\s+/).slice(5).join(' '))
    .filter((file) => file.includes('koffi.node'));
  return new Set(files);
}

describe('the FFI addon inside the host', () => {
  it('is mapped once while PC/SC is retried', async () => {
    host = new HostProcess({
      env: { PCSCLITE_CSOCK_NAME: '/nonexistent/pcscd.comm', CARDBRIDGE_PKCS11_MODULES: '' },
    });
    const status = (await host.request('status')).result as { pcsc: { available: boolean } };
    expect(status.pcsc.available).toBe(false);
    // The reader monitor retries after 0.2, 0.4, 0.8 and then every 1 s: let it try five times.
    await new Promise((r) => setTimeout(r, 3500));
    expect(host.child.exitCode).toBeNull();
    expect(koffiMappings(host.child.pid!).size).toBeLessThanOrEqual(1);
  }, 20_000);
});
