/** The portal's closed list of error codes and the mapping of validation failures to them. */
import { describe, expect, it } from 'vitest';
import {
  isPortalErrorCode,
  PORTAL_ERROR_CODES,
  PORTAL_ERROR_MESSAGES,
  PortalError,
  portalErrorBody,
  portalErrorText,
} from '../../../shared/portal/errors.ts';
import { toPortalError, validationToPortalError } from '../../../portal/src/routes/errors.ts';

const CJK = /[\u4e00-\u9fff]/;

describe('portal error catalogue', () => {
  it('has distinct ERR_PORTAL_ codes, each with zh-TW and English text and an HTTP status', () => {
    expect(new Set(PORTAL_ERROR_CODES).size).toBe(PORTAL_ERROR_CODES.length);
    expect(Object.keys(PORTAL_ERROR_MESSAGES).sort()).toEqual([...PORTAL_ERROR_CODES].sort());
    for (const code of PORTAL_ERROR_CODES) {
      expect(code).toMatch(/^ERR_PORTAL_[A-Z_]+$/);
      const spec = PORTAL_ERROR_MESSAGES[code];
      expect(spec['zh-TW'], code).toMatch(CJK);
      expect(spec['zh-TW'].length, code).toBeGreaterThan(3);
      expect(spec.en, code).toMatch(/^[A-Z][^\u4e00-\u9fff]+[.)]$/);
      expect([400, 401, 403, 404, 409, 413, 429, 431, 500, 502, 503], code).toContain(spec.status);
    }
  });

  it('gives every code its own texts', () => {
    const en = PORTAL_ERROR_CODES.map((c) => PORTAL_ERROR_MESSAGES[c].en);
    const zh = PORTAL_ERROR_CODES.map((c) => PORTAL_ERROR_MESSAGES[c]['zh-TW']);
    expect(new Set(en).size).toBe(en.length);
    expect(new Set(zh).size).toBe(zh.length);
  });

  it('builds the error body with the English message and the field', () => {
    expect(portalErrorBody('ERR_PORTAL_INVALID_ID_NUMBER', 'idNumber')).toEqual({
      error: {
        code: 'ERR_PORTAL_INVALID_ID_NUMBER',
        message: PORTAL_ERROR_MESSAGES.ERR_PORTAL_INVALID_ID_NUMBER.en,
        field: 'idNumber',
      },
    });
    expect(portalErrorBody('ERR_PORTAL_INTERNAL')).not.toHaveProperty('error.field');
  });

  it('gives pages the text in either language, unknown codes as internal', () => {
    expect(portalErrorText('ERR_PORTAL_SESSION_EXPIRED')).toBe(
      PORTAL_ERROR_MESSAGES.ERR_PORTAL_SESSION_EXPIRED['zh-TW'],
    );
    expect(portalErrorText('ERR_PORTAL_SESSION_EXPIRED', 'en')).toMatch(/log in again/);
    expect(portalErrorText('ERR_SOMETHING_ELSE', 'en')).toBe(PORTAL_ERROR_MESSAGES.ERR_PORTAL_INTERNAL.en);
    expect(isPortalErrorCode('ERR_PORTAL_ROLE')).toBe(true);
    expect(isPortalErrorCode('ERR_TOKEN_SIGNATURE')).toBe(false);
  });

  it('PortalError carries status, field and a detail that is not in the body', () => {
    const error = new PortalError('ERR_PORTAL_CLERK_LIMIT', { detail: 'limit 5' });
    expect(error).toMatchObject({ code: 'ERR_PORTAL_CLERK_LIMIT', statusCode: 409, detail: 'limit 5' });
    expect(JSON.stringify(portalErrorBody(error.code, error.field))).not.toContain('limit 5');
  });
});

describe('validation failures → portal errors', () => {
  it.each([
    [
      [{ keyword: 'pattern', instancePath: '/proof/cardNumber' }],
      'ERR_PORTAL_INVALID_CARD_NUMBER',
      'proof.cardNumber',
    ],
    [[{ keyword: 'pattern', instancePath: '/idNumber' }], 'ERR_PORTAL_INVALID_ID_NUMBER', 'idNumber'],
    [[{ keyword: 'pattern', instancePath: '/email' }], 'ERR_PORTAL_INVALID_EMAIL', 'email'],
    [[{ keyword: 'maxLength', instancePath: '/unitCode' }], 'ERR_PORTAL_INVALID_UNIT_CODE', 'unitCode'],
    [
      [{ keyword: 'required', instancePath: '', params: { missingProperty: 'proof' } }],
      'ERR_PORTAL_BAD_REQUEST',
      'proof',
    ],
    [
      [{ keyword: 'additionalProperties', instancePath: '', params: { additionalProperty: 'admin' } }],
      'ERR_PORTAL_BAD_REQUEST',
      'admin',
    ],
    // Found by the route fuzz: a field named after an Object.prototype member once gave a 500.
    [
      [{ keyword: 'additionalProperties', instancePath: '', params: { additionalProperty: 'constructor' } }],
      'ERR_PORTAL_BAD_REQUEST',
      'constructor',
    ],
    [
      [
        {
          keyword: 'additionalProperties',
          instancePath: '/proof',
          params: { additionalProperty: 'toString' },
        },
      ],
      'ERR_PORTAL_BAD_REQUEST',
      'proof.toString',
    ],
    [
      [
        { keyword: 'const', instancePath: '/proof/kind' },
        { keyword: 'pattern', instancePath: '/proof/cardNumber' },
      ],
      'ERR_PORTAL_INVALID_CARD_NUMBER',
      'proof.cardNumber',
    ],
  ])('%j → %s (%s)', (issues, code, field) => {
    expect(validationToPortalError(issues, 'body')).toMatchObject({ code, field });
  });

  it('maps framework errors without leaking them', () => {
    expect(
      toPortalError(
        Object.assign(new Error('Unexpected end of JSON'), {
          statusCode: 400,
          code: 'FST_ERR_CTP_INVALID_JSON',
        }),
      ).code,
    ).toBe('ERR_PORTAL_BAD_REQUEST');
    expect(toPortalError(Object.assign(new Error('x'), { statusCode: 429 })).code).toBe(
      'ERR_PORTAL_RATE_LIMITED',
    );
    const internal = toPortalError(new Error('relation "audit" does not exist'));
    expect(internal.code).toBe('ERR_PORTAL_INTERNAL');
    expect(internal.message).not.toContain('audit');
  });
});
