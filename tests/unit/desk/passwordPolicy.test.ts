/** Desk password rules: length over composition, the commonest and the personal refused. */
import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../../../portal/src/desk/passwordPolicy.ts';
import { normaliseCaptchaAnswer } from '../../../portal/src/desk/captcha.ts';

const personal = ['012345678', 'A123456789', '000012345678', 'clerk@company.example.test'];

describe('desk password rules', () => {
  it.each([
    ['eleven char', 'ERR_DESK_PASSWORD_TOO_SHORT'],
    ['password1234', 'ERR_DESK_PASSWORD_COMMON'],
    ['qwertyuiop123', 'ERR_DESK_PASSWORD_COMMON'],
    ['A123456789abc', 'ERR_DESK_PASSWORD_COMMON'],
    ['012345678012345678', 'ERR_DESK_PASSWORD_COMMON'],
    ['violet harbour lantern 42', undefined],
    ['correcthorsebatterystaple!', undefined],
  ])('%s → %s', (password, expected) => {
    expect(passwordProblem(password, password, personal)).toBe(expected);
  });

  it('takes any characters, counts code points, and wants the repeat to match', () => {
    expect(passwordProblem('藍色山上的三棵老樹和一條河', undefined, [])).toBeUndefined();
    expect(passwordProblem('藍色山上的三棵老樹和河', undefined, [])).toBe('ERR_DESK_PASSWORD_TOO_SHORT');
    expect(passwordProblem('violet harbour lantern 42', 'violet harbour lantern 43', [])).toBe(
      'ERR_DESK_PASSWORD_MISMATCH',
    );
  });
});

describe('captcha answers', () => {
  it('count full-width digits and spaces typed with a Chinese input method as the plain ones', () => {
    expect(normaliseCaptchaAnswer(' １２ ３４５ ')).toBe('12345');
    expect(normaliseCaptchaAnswer('12')).toBe('12');
  });
});
