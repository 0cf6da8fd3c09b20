/**
 * The portal pages' form logic (extension/pages/portal/forms.ts): validation before sending, the
 * request bodies, a refusal's field → the input it is shown next to, and the proof steps.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  cardNumberError,
  clerkCertificateBody,
  clerkNhiBody,
  describeFailure,
  emailError,
  fieldForError,
  firstErrorField,
  idNumberError,
  loginBody,
  loginFields,
  nameError,
  normalise,
  obtainProof,
  passwordError,
  registerBody,
  registerFields,
  unitCodeError,
  unitCodeNeed,
  validateClerkNhi,
  validateLogin,
  validatePasswordSetup,
  validateRegister,
  type ClerkNhiForm,
} from '../../../extension/pages/portal/forms.ts';
import type { CertificateProof, NhiCardProof } from '../../../shared/portal/api.ts';
import { PortalError } from '../../../shared/portal/errors.ts';

const TOKEN: CertificateProof['token'] = {
  format: 'web-eid:1.0',
  unverifiedCertificate: 'MIIB',
  algorithm: 'ES256',
  signature: 'AAAA',
  appVersion: 'https://cardbridge/0.1.0',
};
const NONCE = 'A'.repeat(43) + '=';
const NHI_PROOF: NhiCardProof = {
  kind: 'nhi-card',
  nonce: NONCE,
  cardNumber: '000012345678',
  response: 'AAAAAAAAAAAAAAAAAAAAAA==',
  password: 'secret1',
};

describe('field validators', () => {
  it('NHI card number: 12 digits, spaces and hyphens ignored', () => {
    expect(cardNumberError('000012345678')).toBeUndefined();
    expect(cardNumberError('0000 1234-5678')).toBeUndefined();
    expect(cardNumberError('')).toBe('portal_cardNumberRequired');
    expect(cardNumberError('00001234567')).toBe('ERR_PORTAL_INVALID_CARD_NUMBER');
    expect(cardNumberError('0000123456789')).toBe('ERR_PORTAL_INVALID_CARD_NUMBER');
    expect(cardNumberError('00001234567X')).toBe('ERR_PORTAL_INVALID_CARD_NUMBER');
  });

  it('ID number: format and checksum told apart (checkNationalId), lower case accepted', () => {
    expect(idNumberError('A123456789')).toBeUndefined();
    expect(idNumberError(' a123456789 ')).toBeUndefined();
    expect(idNumberError('A123456788')).toBe('portal_idNumberChecksum');
    expect(idNumberError('A12345678')).toBe('portal_idNumberFormat');
    expect(idNumberError('1234567890')).toBe('portal_idNumberFormat');
    expect(idNumberError('')).toBe('portal_idNumberRequired');
  });

  it('name: not empty after trimming, at most 60 characters', () => {
    expect(nameError('王大明')).toBeUndefined();
    expect(nameError('   ')).toBe('portal_nameRequired');
    expect(nameError('名'.repeat(61))).toBe('portal_nameTooLong');
  });

  it('name: the one name rule of shared/fields, with the issue 15 examples', () => {
    expect(nameError('Pilay·Tanapima')).toBeUndefined();
    expect(nameError('王\u0000小明')).toBe('ERR_PORTAL_CONTROL_CHARACTER');
    expect(nameError('王小明\r\nBcc: x@evil.example')).toBe('ERR_PORTAL_CONTROL_CHARACTER');
    expect(nameError('王小明\u202E')).toBe('ERR_PORTAL_CONTROL_CHARACTER');
    expect(nameError('王小明\u0085')).toBe('ERR_PORTAL_CONTROL_CHARACTER');
    expect(nameError('王小明 <b>')).toBe('ERR_PORTAL_INVALID_NAME');
    // What is sent is what the portal stores: NFC, single spaces, the middle dot unified.
    expect(normalise.name('  Pi\u0301lay\u30FBTanapima ')).toBe('P\u00edlay\u00b7Tanapima');
  });

  it('e-mail and unit code: hidden characters are named as such', () => {
    expect(emailError('hr@example.test\u202E')).toBe('ERR_PORTAL_CONTROL_CHARACTER');
    expect(emailError('hr@exam_ple.test')).toBe('ERR_PORTAL_INVALID_EMAIL');
    expect(normalise.email(' HR@Example.TEST ')).toBe('HR@example.test');
    expect(unitCodeError('\u202E123456789', true)).toBe('ERR_PORTAL_CONTROL_CHARACTER');
    expect(unitCodeError('1'.repeat(40), true)).toBe('ERR_PORTAL_INVALID_UNIT_CODE');
  });

  it('web password: 6–12 characters', () => {
    expect(passwordError('')).toBe('portal_passwordRequired');
    expect(passwordError('12345')).toBe('portal_passwordLength');
    expect(passwordError('123456')).toBeUndefined();
    expect(passwordError('123456789012')).toBeUndefined();
    expect(passwordError('1234567890123')).toBe('portal_passwordLength');
  });

  it('e-mail: optional, one @ and a dotted domain', () => {
    expect(emailError('')).toBeUndefined();
    expect(emailError(' hr@example.com.tw ')).toBeUndefined();
    expect(emailError('hr@example')).toBe('ERR_PORTAL_INVALID_EMAIL');
    expect(emailError('h r@example.com')).toBe('ERR_PORTAL_INVALID_EMAIL');
    expect(emailError('a@b@example.com')).toBe('ERR_PORTAL_INVALID_EMAIL');
  });
});

describe('registration form', () => {
  it('with a unit certificate asks only for the optional e-mail', () => {
    expect(registerFields('certificate')).toEqual(['email']);
    expect(validateRegister({ method: 'certificate', unitCode: '', password: '', email: '' })).toEqual({});
    expect(validateRegister({ method: 'certificate', unitCode: '', password: '', email: 'x' })).toEqual({
      email: 'ERR_PORTAL_INVALID_EMAIL',
    });
  });

  it('with the NHI card needs the unit code and the web password', () => {
    expect(registerFields('nhi-card')).toEqual(['unit-code', 'password', 'email']);
    expect(validateRegister({ method: 'nhi-card', unitCode: ' ', password: '123', email: '' })).toEqual({
      'unit-code': 'ERR_PORTAL_UNIT_CODE_REQUIRED',
      password: 'portal_passwordLength',
    });
    expect(
      validateRegister({ method: 'nhi-card', unitCode: '012345678', password: 'secret1', email: '' }),
    ).toEqual({});
  });

  it('builds the body: unit code only with the NHI card, e-mail only when given, trimmed', () => {
    const certificateProof = { kind: 'certificate' as const, nonce: NONCE, token: TOKEN };
    expect(
      registerBody({ method: 'certificate', unitCode: '999', password: '', email: '' }, certificateProof),
    ).toEqual({ proof: certificateProof });
    expect(
      registerBody(
        { method: 'nhi-card', unitCode: ' 012345678 ', password: 'secret1', email: ' hr@example.com ' },
        NHI_PROOF,
      ),
    ).toEqual({ proof: NHI_PROOF, unitCode: '012345678', email: 'hr@example.com' });
  });

  it('setting the first password: the two entries must match', () => {
    expect(validatePasswordSetup({ password: 'secret1', confirm: 'secret1' })).toEqual({});
    expect(validatePasswordSetup({ password: 'secret1', confirm: 'secret2' })).toEqual({
      'password-confirm': 'portal_passwordMismatch',
    });
    expect(validatePasswordSetup({ password: 'abc', confirm: 'abc' })).toEqual({
      password: 'portal_passwordLength',
    });
  });
});

describe('login form', () => {
  it('unit code: required for the unit with an NHI card, optional for clerks, absent with a unit certificate', () => {
    expect(unitCodeNeed('unit', 'nhi-card')).toBe('required');
    expect(unitCodeNeed('unit', 'certificate')).toBe('none');
    expect(unitCodeNeed('clerk', 'certificate')).toBe('optional');
    expect(unitCodeNeed('clerk', 'nhi-card')).toBe('optional');
    expect(loginFields({ role: 'unit', method: 'certificate' })).toEqual([]);
    expect(loginFields({ role: 'unit', method: 'nhi-card' })).toEqual(['unit-code', 'password']);
    expect(loginFields({ role: 'clerk', method: 'certificate' })).toEqual(['unit-code']);
  });

  it('validates by role and method', () => {
    expect(validateLogin({ role: 'unit', method: 'nhi-card', unitCode: '', password: '' })).toEqual({
      'unit-code': 'ERR_PORTAL_UNIT_CODE_REQUIRED',
      password: 'portal_passwordRequired',
    });
    expect(validateLogin({ role: 'clerk', method: 'certificate', unitCode: '', password: '' })).toEqual({});
    expect(
      validateLogin({ role: 'clerk', method: 'certificate', unitCode: 'x'.repeat(33), password: '' }),
    ).toEqual({ 'unit-code': 'ERR_PORTAL_INVALID_UNIT_CODE' });
  });

  it('builds the body with the unit code only where it belongs', () => {
    expect(
      loginBody({ role: 'clerk', method: 'nhi-card', unitCode: '', password: 'secret1' }, NHI_PROOF),
    ).toEqual({
      role: 'clerk',
      proof: NHI_PROOF,
    });
    expect(
      loginBody({ role: 'unit', method: 'nhi-card', unitCode: '012345678 ', password: 'secret1' }, NHI_PROOF),
    ).toEqual({ role: 'unit', proof: NHI_PROOF, unitCode: '012345678' });
    const certificateProof = { kind: 'certificate' as const, nonce: NONCE, token: TOKEN };
    expect(
      loginBody(
        { role: 'unit', method: 'certificate', unitCode: '012345678', password: '' },
        certificateProof,
      ),
    ).toEqual({ role: 'unit', proof: certificateProof });
  });
});

describe('adding a clerk', () => {
  const good: ClerkNhiForm = {
    cardNumber: '0000 1234 5678',
    idNumber: 'a123456789',
    name: ' 王大明 ',
    email: '',
  };

  it('checks card number, ID checksum and name before sending', () => {
    expect(validateClerkNhi(good)).toEqual({});
    expect(validateClerkNhi({ cardNumber: '123', idNumber: 'A123456788', name: '', email: 'bad' })).toEqual({
      'card-number': 'ERR_PORTAL_INVALID_CARD_NUMBER',
      'id-number': 'portal_idNumberChecksum',
      name: 'portal_nameRequired',
      email: 'ERR_PORTAL_INVALID_EMAIL',
    });
  });

  it('sends normalised values', () => {
    expect(clerkNhiBody(good)).toEqual({
      kind: 'nhi-card',
      cardNumber: '000012345678',
      idNumber: 'A123456789',
      name: '王大明',
    });
    expect(clerkNhiBody({ ...good, email: 'a@example.tw' })).toMatchObject({ email: 'a@example.tw' });
    expect(clerkCertificateBody('MIIB', '')).toEqual({ kind: 'certificate', certificate: 'MIIB' });
    expect(clerkCertificateBody('MIIB', ' a@example.tw')).toEqual({
      kind: 'certificate',
      certificate: 'MIIB',
      email: 'a@example.tw',
    });
  });

  it('focus goes to the first field with a problem, in form order', () => {
    const errors = validateClerkNhi({ cardNumber: '000012345678', idNumber: '', name: '', email: '' });
    expect(firstErrorField(errors, ['card-number', 'id-number', 'name', 'email'])).toBe('id-number');
    expect(firstErrorField({}, ['card-number'])).toBeUndefined();
  });
});

describe('refusals next to their field', () => {
  it('maps the portal field paths to the shown inputs', () => {
    expect(fieldForError('unitCode', ['unit-code', 'password'])).toBe('unit-code');
    expect(fieldForError('proof.password', ['unit-code', 'password'])).toBe('password');
    expect(fieldForError('email', ['email'])).toBe('email');
    expect(fieldForError('idNumber', ['card-number', 'id-number', 'name'])).toBe('id-number');
    expect(fieldForError('cardNumber', ['card-number', 'id-number', 'name'])).toBe('card-number');
    expect(fieldForError('name', ['card-number', 'id-number', 'name'])).toBe('name');
    expect(fieldForError('constructor', ['card-number', 'id-number', 'name'])).toBeUndefined();
    expect(fieldForError('proof.__proto__', ['password'])).toBeUndefined();
  });

  it('leaves a field the form does not show (or that came from the card) to the general alert', () => {
    expect(fieldForError('unitCode', ['email'])).toBeUndefined();
    expect(fieldForError('proof.cardNumber', ['card-number'])).toBeUndefined();
    expect(fieldForError('proof.token', ['email'])).toBeUndefined();
    expect(fieldForError('proof.nonce', ['password'])).toBeUndefined();
    expect(fieldForError(undefined, ['password'])).toBeUndefined();
  });

  it('describes portal refusals, card-step errors and an unreachable portal', () => {
    const shown = ['unit-code', 'password'] as const;
    expect(
      describeFailure(new PortalError('ERR_PORTAL_PASSWORD_WRONG', { field: 'proof.password' }), shown, 'P'),
    ).toEqual({
      key: 'ERR_PORTAL_PASSWORD_WRONG',
      params: [],
      code: 'ERR_PORTAL_PASSWORD_WRONG',
      field: 'password',
    });
    expect(describeFailure(new PortalError('ERR_PORTAL_ALREADY_REGISTERED'), shown, 'P')).toEqual({
      key: 'ERR_PORTAL_ALREADY_REGISTERED',
      params: [],
      code: 'ERR_PORTAL_ALREADY_REGISTERED',
    });
    expect(describeFailure(new PortalError('ERR_PORTAL_UNREACHABLE'), shown, 'https://portal.test')).toEqual({
      key: 'portal_unreachable',
      params: ['https://portal.test'],
      code: 'ERR_PORTAL_UNREACHABLE',
    });
    // The extension's errors (e.g. the clerk closed the prompt) keep their ERR_ code.
    expect(describeFailure({ name: 'CardBridgeError', code: 'ERR_USER_CANCELLED' }, shown, 'P').key).toBe(
      'ERR_USER_CANCELLED',
    );
    expect(describeFailure(new Error('boom'), shown, 'P').key).toBe('ERR_PORTAL_INTERNAL');
  });
});

describe('proof steps', () => {
  it('gets a fresh nonce, then the certificate token over it', async () => {
    const nonce = vi.fn(() => Promise.resolve({ nonce: NONCE }));
    const authenticate = vi.fn(() => Promise.resolve(TOKEN));
    const nhiAuthenticate = vi.fn();
    const onCardStep = vi.fn();
    const proof = await obtainProof(
      { nonce, authenticate, nhiAuthenticate, onCardStep },
      'certificate',
      '',
      'register',
    );
    expect(proof).toEqual({ kind: 'certificate', nonce: NONCE, token: TOKEN });
    // The purpose goes to the extension, which says it in the prompt.
    expect(authenticate).toHaveBeenCalledWith(NONCE, 'register');
    expect(nhiAuthenticate).not.toHaveBeenCalled();
    expect(onCardStep).toHaveBeenCalledOnce();
  });

  it('with the NHI card adds the card number, response and web password', async () => {
    const proof = await obtainProof(
      {
        nonce: () => Promise.resolve({ nonce: NONCE }),
        authenticate: vi.fn(),
        nhiAuthenticate: (n) =>
          Promise.resolve({ reader: 'r', cardNumber: '000012345678', response: `${n.slice(0, 22)}==` }),
      },
      'nhi-card',
      'secret1',
      'clerk-login',
    );
    expect(proof).toEqual({
      kind: 'nhi-card',
      nonce: NONCE,
      cardNumber: '000012345678',
      response: `${NONCE.slice(0, 22)}==`,
      password: 'secret1',
    });
  });

  it('stops when the clerk cancels the prompt (no proof, the error passes on)', async () => {
    const cancelled = Object.assign(new Error('cancelled'), { code: 'ERR_USER_CANCELLED' });
    await expect(
      obtainProof(
        {
          nonce: () => Promise.resolve({ nonce: NONCE }),
          authenticate: () => Promise.reject(cancelled),
          nhiAuthenticate: vi.fn(),
        },
        'certificate',
        '',
        'unit-login',
      ),
    ).rejects.toBe(cancelled);
  });
});
