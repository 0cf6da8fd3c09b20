/**
 * The self-check's fix when the host is missing names an installer that exists: on Linux the
 * .deb and .rpm the package builder writes for this version, in both languages; on Windows the
 * installer of this version; on macOS it sends the clerk to IT (no macOS installer is released yet).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { selfCheckItems } from '../../../extension/pages/selfcheck/checks.ts';
import type { SelfCheckReport } from '../../../extension/lib/uiProtocol.ts';
import { PACKAGE_NAME, RELEASE } from '../../../installers/linux/packageInfo.ts';
import { installerFileName } from '../../../installers/windows/installerInfo.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const messages = (locale: string) =>
  JSON.parse(
    readFileSync(path.join(root, 'extension/public/_locales', locale, 'messages.json'), 'utf8'),
  ) as Record<string, { message: string }>;

function hostMissing(os: SelfCheckReport['os']): SelfCheckReport {
  return {
    generatedAt: '2026-12-02T08:00:00.000Z',
    os,
    browser: { name: 'Chrome', version: '130.0.0.0', minimum: '116', supported: true },
    extensionVersion: '1.4.2',
    host: { ok: false, code: 'ERR_HOST_NOT_INSTALLED' },
  };
}

describe('self-check: host not installed', () => {
  it.each(['en', 'zh_TW'])('names the .deb and .rpm of this version on Linux (%s)', (locale) => {
    const fix = selfCheckItems(hostMissing('linux')).find((i) => i.id === 'host')?.fix;
    expect(fix).toEqual(['fixInstallHost_linux', '1.4.2']);
    const text = messages(locale)[fix![0]]!.message.replaceAll('$1', fix![1] as string);
    expect(text).toContain(`${PACKAGE_NAME}_1.4.2-${RELEASE}_amd64.deb`);
    expect(text).toContain(`${PACKAGE_NAME}-1.4.2-${RELEASE}.x86_64.rpm`);
  });

  it.each(['en', 'zh_TW'])('names the Windows installer of this version (%s)', (locale) => {
    const fix = selfCheckItems(hostMissing('win')).find((i) => i.id === 'host')?.fix;
    expect(fix).toEqual(['fixInstallHost_win', '1.4.2']);
    const text = messages(locale)[fix![0]]!.message.replaceAll('$1', fix![1] as string);
    expect(text).toContain(installerFileName('1.4.2'));
    expect(text).toContain('installers/README.md');
  });

  it.each(['mac'] as const)('sends the clerk to IT on %s, naming no file that is not released', (os) => {
    const fix = selfCheckItems(hostMissing(os)).find((i) => i.id === 'host')?.fix;
    expect(fix?.[0]).toBe(`fixInstallHost_${os}`);
    for (const locale of ['en', 'zh_TW']) {
      const text = messages(locale)[fix![0]]!.message;
      expect(text).toContain('installers/README.md');
      expect(text).not.toMatch(/\.exe|\.pkg|\.msi/);
    }
  });
});
