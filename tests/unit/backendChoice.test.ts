import { describe, expect, it } from 'vitest';
import { KoffiPcscBackend } from '../../native-host/src/pcsc/koffiPcscBackend.ts';
import { PcscliteBackend } from '../../native-host/src/pcsc/pcscliteBackend.ts';
import { pcscBackendFactory, pcscBackendName } from '../../native-host/src/pcsc/selectBackend.ts';
import { pkcs11BindingName } from '../../native-host/src/tokens/pkcs11/selectBinding.ts';

describe('choosing the native bindings', () => {
  it('uses koffi for PC/SC unless pcsclite is asked for', () => {
    expect(pcscBackendName({})).toBe('koffi');
    expect(pcscBackendName({ CARDBRIDGE_PCSC_BACKEND: ' ' })).toBe('koffi');
    expect(pcscBackendFactory({})()).toBeInstanceOf(KoffiPcscBackend);
    expect(pcscBackendFactory({ CARDBRIDGE_PCSC_BACKEND: 'pcsclite' })()).toBeInstanceOf(PcscliteBackend);
  });

  it('uses koffi for PKCS#11 unless graphene is asked for', () => {
    expect(pkcs11BindingName({})).toBe('koffi');
    expect(pkcs11BindingName({ CARDBRIDGE_PKCS11_BINDING: 'graphene' })).toBe('graphene');
  });

  it('refuses a backend it does not have, naming the ones it has', () => {
    expect(() => pcscBackendName({ CARDBRIDGE_PCSC_BACKEND: 'winscard' })).toThrow(/koffi, pcsclite/);
    expect(() => pkcs11BindingName({ CARDBRIDGE_PKCS11_BINDING: 'pkcs11js' })).toThrow(/koffi, graphene/);
  });
});
