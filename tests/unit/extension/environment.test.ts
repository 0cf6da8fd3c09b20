/**
 * Which browser the self-check reports: Edge and Chrome both carry the Chromium brand, so the
 * vendor's own brand must win; versions are checked against the manifest's minimums.
 */
import { describe, expect, it, vi } from 'vitest';

vi.mock('webextension-polyfill', () => ({ default: {} }));
const { chromiumBrowser, checkVersion, MINIMUM_VERSIONS } =
  await import('../../../extension/background/environment.ts');

const brand = (name: string, version: string) => ({ brand: name, version });
const GREASE = brand('Not/A)Brand', '8');

describe('chromiumBrowser', () => {
  it('reports Edge, not Chromium, for Microsoft Edge in any brand order', () => {
    const brands = [brand('Chromium', '131'), GREASE, brand('Microsoft Edge', '131')];
    expect(chromiumBrowser(brands)).toEqual({ name: 'Edge', version: '131' });
    expect(chromiumBrowser([...brands].reverse())).toEqual({ name: 'Edge', version: '131' });
  });

  it('reports Chrome for Google Chrome and Chromium for Debian Chromium', () => {
    expect(chromiumBrowser([GREASE, brand('Chromium', '156'), brand('Google Chrome', '156')])).toEqual({
      name: 'Chrome',
      version: '156',
    });
    expect(chromiumBrowser([brand('Chromium', '156'), GREASE])).toEqual({ name: 'Chromium', version: '156' });
  });

  it('reports Other when no known brand is there (user-agent data missing)', () => {
    expect(chromiumBrowser([])).toEqual({ name: 'Other', version: '0' });
    expect(chromiumBrowser([GREASE])).toEqual({ name: 'Other', version: '0' });
  });
});

describe('checkVersion', () => {
  it('uses the Chromium minimum for Edge and Chrome, the Firefox one for Firefox', () => {
    expect(checkVersion({ name: 'Edge', version: MINIMUM_VERSIONS.chromium })).toMatchObject({
      supported: true,
      minimum: MINIMUM_VERSIONS.chromium,
    });
    expect(
      checkVersion({ name: 'Edge', version: String(Number(MINIMUM_VERSIONS.chromium) - 1) }),
    ).toMatchObject({ supported: false });
    expect(checkVersion({ name: 'Firefox', version: '139.0.1' })).toMatchObject({
      supported: false,
      minimum: MINIMUM_VERSIONS.firefox,
    });
    expect(checkVersion({ name: 'Firefox', version: '140.5.0esr' }).supported).toBe(true);
  });

  it('never calls an unknown browser supported', () => {
    expect(checkVersion({ name: 'Other', version: '999' }).supported).toBe(false);
  });
});
