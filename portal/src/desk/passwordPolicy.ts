/**
 * Desk passwords in the spirit of NIST SP 800-63B: at least DESK_SETTINGS.minPasswordLength
 * characters, any characters, no composition rules; refused when zxcvbn-ts (with its maintained
 * common-password and diceware lists, @zxcvbn-ts/language-common) rates it guessable (score < 3),
 * or when it is built from the clerk's own unit code, ID or card number or e-mail.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import type { DeskAccountErrorCode } from '../../../shared/desk/messages.ts';
import { DESK_SETTINGS } from './settings.ts';

const MIN_SCORE = 3;
let checker: ZxcvbnFactory | undefined;

export function passwordProblem(
  password: string,
  passwordAgain: string | undefined,
  personal: readonly string[],
): DeskAccountErrorCode | undefined {
  if ([...password.normalize('NFC')].length < DESK_SETTINGS.minPasswordLength)
    return 'ERR_DESK_PASSWORD_TOO_SHORT';
  checker ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  if (checker.check(password, [...personal]).score < MIN_SCORE) return 'ERR_DESK_PASSWORD_COMMON';
  if (passwordAgain !== undefined && passwordAgain !== password) return 'ERR_DESK_PASSWORD_MISMATCH';
  return undefined;
}
