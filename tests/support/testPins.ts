/**
 * The PINs the test suites type, as the lab defines them: the secrets the PIN-secrecy check
 * (pinSecrecy.ts) searches the run's artefacts for. Add a suite's own PINs to the lab, not here.
 */
import { LAB_PIV_PIN, LAB_PIV_PUK, LAB_PIV_WRONG_PINS } from '../../lab/cards/pivCardApplet.ts';
import { LAB_TOKENS } from '../../lab/softhsm.ts';
import type { Secret } from './secretScan.ts';

export const TEST_PINS: readonly Secret[] = [
  ...LAB_TOKENS.map((token) => ({ label: `PIN of the SoftHSM token "${token.label}"`, value: token.pin })),
  { label: 'PIN of the lab PIV card', value: LAB_PIV_PIN },
  { label: 'PUK of the lab PIV card', value: LAB_PIV_PUK },
  ...LAB_PIV_WRONG_PINS.map((value, i) => ({ label: `wrong PIV PIN #${i + 1} the tests type`, value })),
];
