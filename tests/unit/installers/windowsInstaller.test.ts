import { describe, expect, it } from 'vitest';
import { installerFileName, UNINSTALL_KEY } from '../../../installers/windows/installerInfo.ts';
import { fileVersion, nsisScript } from '../../../installers/windows/nsisScript.ts';

describe('the Windows installer script', () => {
  const script = nsisScript({
    version: '1.2.3',
    host: '/tmp/x/cardbridge-host.exe',
    outFile: '/out/Setup.exe',
  });

  it('is a 64-bit, per-machine installer', () => {
    expect(script).toMatch(/^Target amd64-unicode$/m);
    expect(script).toMatch(/^RequestExecutionLevel admin$/m);
    expect(script).toMatch(/^InstallDir "\$PROGRAMFILES64\\CardBridge"$/m);
    expect(script).toMatch(/SetRegView 64/);
  });

  it('registers through the installed host and fails when it cannot', () => {
    expect(script).toContain(`nsExec::ExecToLog '"$INSTDIR\\cardbridge-host.exe" install --scope system'`);
    expect(script).toMatch(/SetErrorLevel 3\s+Abort/);
    expect(script).toContain(`nsExec::ExecToLog '"$INSTDIR\\cardbridge-host.exe" uninstall --scope system'`);
  });

  it('writes an Add/Remove Programs entry with version and publisher, removed on uninstall', () => {
    expect(script).toContain(`WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "1.2.3"`);
    expect(script).toContain(`WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "CardBridge"`);
    expect(script).toContain(`DeleteRegKey HKLM "${UNINSTALL_KEY}"`);
  });

  it('escapes NSIS specials in the strings it is given', () => {
    expect(nsisScript({ version: '1', host: 'C:\\a$b"c.exe', outFile: 'o.exe' })).toContain(
      'File "C:\\a$$b$\\"c.exe"',
    );
  });

  it('gives Windows four version numbers and names the installer by version', () => {
    expect(fileVersion('0.1.0')).toBe('0.1.0.0');
    expect(fileVersion('2.0.1-rc.1')).toBe('2.0.1.1');
    expect(installerFileName('0.1.0')).toBe('CardBridge-Setup-0.1.0.exe');
  });
});
