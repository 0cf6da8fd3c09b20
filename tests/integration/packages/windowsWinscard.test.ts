/**
 * The Windows host reading the lab's virtual NHI card through winscard, under wine 10 (the trixie
 * chroot of installers/windows/wineLab.sh; Debian 12's wine 8 has only a stub winscard). Wine's
 * winscard calls the machine's libpcsclite, which reaches the lab's private pcscd and its vpcd card.
 * A node.exe parent starts the host, so it gets Windows pipes as from a browser. Skipped, saying
 * why, only when the chroot is missing and cannot be made here.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_NHI_CARD, NhiCardApplet } from '../../../lab/cards/nhiCardApplet.ts';
import { Lab } from '../../../lab/lab.ts';
import type { VirtualCard } from '../../../lab/vpcd/virtualCard.ts';
import { WinePrefix, winPath } from '../../../lab/wine.ts';
import { WINE10, WINE10_MISSING, ensureWine10 } from '../../../lab/wineLab.ts';
import { SEA_TARGETS } from '../../../native-host/sea/targets.ts';
import { nodeBinary } from '../../../native-host/sea/toolchain.ts';
import { EXTENSION_IDS } from '../../../shared/protocol/version.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const DRIVER = path.join(import.meta.dirname, 'wineMessagingDriver.cjs');
const SLOW = 600_000;

let lab: Lab;
let card: VirtualCard;
let wine: WinePrefix;

interface Reply {
  id: string;
  result?: Record<string, unknown>;
  error?: { code: string; message: string };
}

/** Starts the host from a node.exe parent under wine 10 and asks each request in turn. */
async function askHost(
  requests: Array<{ id: string; command: string; arguments?: unknown }>,
): Promise<Reply[]> {
  const resultFile = path.join(wine.dir, 'replies.json');
  const host = path.join(root, 'dist/host', SEA_TARGETS['win-x64'].binary);
  const run = await wine.runAsync(
    [
      winPath(nodeBinary(root, SEA_TARGETS['win-x64'])),
      winPath(DRIVER),
      winPath(resultFile),
      JSON.stringify([winPath(host), `chrome-extension://${EXTENSION_IDS.chromium}/`]),
      JSON.stringify(requests),
    ],
    { ...lab.env, CARDBRIDGE_LOG_DIR: winPath(path.join(wine.dir, 'log')), CARDBRIDGE_LOG_LEVEL: 'debug' },
  );
  const result = existsSync(resultFile)
    ? (JSON.parse(readFileSync(resultFile, 'utf8')) as { replies?: Reply[]; error?: string })
    : undefined;
  if (run.status !== 0 || !result?.replies) {
    throw new Error(`wine messaging driver: exit ${run.status} ${result?.error ?? ''}\n${run.output}`);
  }
  return result.replies;
}

/** The host's own log, shown when an expectation fails. */
function hostLog(): string {
  const file = path.join(wine.dir, 'log', 'host.log');
  return existsSync(file) ? readFileSync(file, 'utf8') : '(no host log)';
}

describe.skipIf(WINE10_MISSING !== undefined)(
  `the Windows host through winscard under wine 10${WINE10_MISSING ? ` (skipped: ${WINE10_MISSING})` : ''}`,
  () => {
    beforeAll(async () => {
      ensureWine10();
      execFileSync('npm', ['run', 'build:host:windows'], { cwd: root, stdio: 'ignore' });
      lab = await Lab.start();
      card = lab.card(new NhiCardApplet(), lab.slot(0));
      await card.insert();
      wine = WinePrefix.create(WINE10);
    }, SLOW);
    afterAll(async () => {
      wine?.close();
      await card?.remove();
      await lab?.stop();
    });

    it(
      'status shows the lab reader with the NHI card, and nhi.readBasic reads its data',
      async () => {
        const [status, basic] = await askHost([
          { id: 's', command: 'status' },
          { id: 'b', command: 'nhi.readBasic' },
        ]);
        expect(status!.error).toBeUndefined();
        const readers = status!.result!.readers as Array<{
          name: string;
          cardPresent: boolean;
          atr?: string;
          card?: { type: string };
        }>;
        expect(status!.result!.pcsc).toEqual({ available: true });
        const reader = readers.find((r) => r.name === lab.slot(0).reader);
        expect(reader, `${JSON.stringify(readers)}\n${hostLog()}`).toMatchObject({
          cardPresent: true,
          card: { type: 'nhi' },
        });
        expect(reader!.atr).toBe(card.applet.atr.toString('hex'));
        expect(basic!.error).toBeUndefined();
        // The lab card's data, decoded by the host from the card's record.
        expect(basic!.result).toEqual({ reader: lab.slot(0).reader, ...DEMO_NHI_CARD, idNumberValid: true });
      },
      SLOW,
    );
  },
);
