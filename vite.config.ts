/**
 * One config for the extension build and the tests.
 *   vite build --mode chrome   → dist/chrome  (Chrome and Edge; `key` fixes the extension id)
 *   vite build --mode firefox  → dist/firefox (background as event-page scripts, gecko id)
 * The manifest's source is the root manifest.json; each browser gets only the keys it understands.
 */
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vitest/config';
import manifestSource from './manifest.json' with { type: 'json' };

type Manifest = Record<string, unknown> & typeof manifestSource;

function manifestFor(browser: 'chrome' | 'firefox'): ManifestV3Export {
  const { key, minimum_chrome_version, browser_specific_settings, background, ...common } =
    manifestSource as Manifest;
  if (browser === 'chrome') return { ...common, key, minimum_chrome_version, background };
  return {
    ...common,
    background: { scripts: [background.service_worker], type: 'module' },
    browser_specific_settings,
  } as unknown as ManifestV3Export;
}

/**
 * The extension never injects HTML. Preact's only HTML sink (dangerouslySetInnerHTML) is turned into
 * plain text at build time, so that AMO's linter finds no innerHTML assignment and none can creep in.
 */
const noHtmlInjection = {
  name: 'cardbridge-no-html-injection',
  transform(code: string, id: string) {
    if (!/preact[\\/]dist[\\/]preact\.mjs$/.test(id)) return null;
    const out = code.replace(/(\w+)\.innerHTML=(\w+)\.__html/g, '$1.textContent=$2.__html');
    if (out === code) throw new Error('preact changed: review the innerHTML rewrite in vite.config.ts');
    return { code: out, map: null };
  },
};

export default defineConfig(({ command, mode }) => {
  const browser = mode === 'firefox' ? 'firefox' : 'chrome';
  return {
    publicDir: 'extension/public',
    plugins:
      command === 'build'
        ? [noHtmlInjection, preact(), crx({ manifest: manifestFor(browser), browser })]
        : [],
    build: {
      outDir: `dist/${browser}`,
      rollupOptions: {
        // Extension pages that the manifest does not name (opened by the popup and the background).
        input: {
          selfcheck: 'extension/pages/selfcheck/index.html',
          prompt: 'extension/pages/prompt/index.html',
          portal: 'extension/pages/portal/index.html',
        },
      },
      emptyOutDir: true,
      minify: true,
      sourcemap: false,
    },
    test: {
      // Opt-in (CARDBRIDGE_PIN_SECRECY=1): after the run, the test PINs must be in no artefact.
      globalSetup: ['tests/support/pinSecrecy.ts'],
      projects: [
        {
          test: {
            name: 'unit',
            include: ['tests/unit/**/*.test.ts'],
            environment: 'node',
          },
        },
        {
          test: {
            name: 'integration',
            include: ['tests/integration/**/*.test.ts'],
            environment: 'node',
            // Integration tests share one lab (pcscd, vpcd ports): run their files one at a time.
            fileParallelism: false,
            testTimeout: 30_000,
            hookTimeout: 60_000,
          },
        },
        {
          test: {
            // The suites that reach pcscd and SoftHSM again, through the host from source with the
            // npm addons (the default project drives the single executable, which uses koffi).
            name: 'integration-addons',
            include: [
              'tests/integration/nhiCard.test.ts',
              'tests/integration/readerEvents.test.ts',
              'tests/integration/tokens.test.ts',
              'tests/integration/pivPin.test.ts',
              'tests/integration/tokenSwap.test.ts',
            ],
            env: { CARDBRIDGE_TEST_HOST: 'addons' },
            environment: 'node',
            fileParallelism: false,
            testTimeout: 30_000,
            hookTimeout: 60_000,
          },
        },
        {
          test: {
            name: 'e2e',
            include: ['tests/e2e/**/*.test.ts'],
            environment: 'node',
            // Real browsers on a 2-core machine: one file at a time.
            fileParallelism: false,
            testTimeout: 60_000,
            hookTimeout: 60_000,
          },
        },
      ],
    },
  };
});
