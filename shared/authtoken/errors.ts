/**
 * The closed list of verifier error codes: what the server-side verifiers (auth token, CMS signature,
 * trust store) report. Distinct from the protocol codes in ../protocol/errors.ts (those travel between
 * the extension and the native host). Every code has a zh-TW and an English message written for a
 * clerk. Codes are never reused for another meaning; add new ones at the end.
 */
import type { LocalizedText } from '../protocol/errors.ts';

export const VERIFICATION_ERROR_CODES = [
  'ERR_TOKEN_MALFORMED',
  'ERR_TOKEN_ALGORITHM',
  'ERR_TOKEN_SIGNATURE',
  'ERR_NONCE_INVALID',
  'ERR_ORIGIN_INVALID',
  'ERR_CERT_MALFORMED',
  'ERR_CERT_UNTRUSTED',
  'ERR_CERT_EXPIRED',
  'ERR_CERT_NOT_YET_VALID',
  'ERR_CERT_REVOKED',
  'ERR_CRL_UNAVAILABLE',
  'ERR_CERT_KEY_USAGE',
  'ERR_CERT_FAMILY',
  'ERR_CMS_MALFORMED',
  'ERR_CMS_ALGORITHM',
  'ERR_CMS_DIGEST_MISMATCH',
  'ERR_CMS_SIGNATURE',
  'ERR_CMS_ATTRIBUTES',
] as const;

export type VerificationErrorCode = (typeof VERIFICATION_ERROR_CODES)[number];

export const VERIFICATION_ERROR_MESSAGES: Readonly<Record<VerificationErrorCode, LocalizedText>> = {
  ERR_TOKEN_MALFORMED: {
    'zh-TW': '收到的登入資料格式不正確，請重新登入。',
    en: 'The login data was not in the expected form. Please log in again.',
  },
  ERR_TOKEN_ALGORITHM: {
    'zh-TW': '登入資料使用的簽章方式與憑證不相符，請更新卡橋後重新登入。',
    en: 'The login data was signed in a way that does not fit the certificate. Please update CardBridge and log in again.',
  },
  ERR_TOKEN_SIGNATURE: {
    'zh-TW': '登入簽章驗證失敗（可能不是在本網站或本次登入時簽的），請重新登入。',
    en: 'The login signature is not valid (it may not have been made for this website or this login). Please log in again.',
  },
  ERR_NONCE_INVALID: {
    'zh-TW': '這次登入已失效或已使用過，請重新整理網頁後再登入。',
    en: 'This login attempt has expired or was already used. Please reload the page and log in again.',
  },
  ERR_ORIGIN_INVALID: {
    'zh-TW': '網站位址設定不正確，無法驗證登入；請聯絡資訊人員。',
    en: 'The website address is not set up correctly, so the login cannot be checked. Please contact IT.',
  },
  ERR_CERT_MALFORMED: {
    'zh-TW': '無法讀取卡片上的憑證，請確認插入的是正確的卡片。',
    en: 'The certificate on the card could not be read. Please check that the right card is inserted.',
  },
  ERR_CERT_UNTRUSTED: {
    'zh-TW': '這張憑證不是由本系統信任的憑證機構簽發，無法使用。',
    en: 'This certificate was not issued by a certification authority this system trusts, so it cannot be used.',
  },
  ERR_CERT_EXPIRED: {
    'zh-TW': '憑證已過期，請向發卡單位辦理憑證展期或換發。',
    en: 'The certificate has expired. Please ask the issuer to renew or replace it.',
  },
  ERR_CERT_NOT_YET_VALID: {
    'zh-TW': '憑證尚未生效，請確認電腦日期時間正確，或於生效日後再使用。',
    en: 'The certificate is not valid yet. Please check the computer clock, or use it after its start date.',
  },
  ERR_CERT_REVOKED: {
    'zh-TW': '憑證已被廢止（停用），無法使用；請向發卡單位洽詢。',
    en: 'The certificate has been revoked and cannot be used. Please contact the issuer.',
  },
  ERR_CRL_UNAVAILABLE: {
    'zh-TW': '目前無法確認憑證是否已被廢止（廢止清冊缺少或過期），請稍後再試或聯絡資訊人員。',
    en: 'Whether the certificate was revoked cannot be checked now (the revocation list is missing or out of date). Please try later or contact IT.',
  },
  ERR_CERT_KEY_USAGE: {
    'zh-TW': '這張憑證不能用於這項作業（例如加密用憑證不能用來登入或簽章），請改用簽章用憑證。',
    en: 'This certificate cannot be used for this task (for example an encryption certificate cannot log in or sign). Please use the signing certificate.',
  },
  ERR_CERT_FAMILY: {
    'zh-TW': '本系統不接受這一類憑證（例如只接受自然人憑證），請改用正確的卡片。',
    en: 'This system does not accept this kind of certificate (for example it only accepts citizen certificates). Please use the right card.',
  },
  ERR_CMS_MALFORMED: {
    'zh-TW': '簽章檔格式不正確或不完整，無法驗證。',
    en: 'The signature file is malformed or incomplete and cannot be checked.',
  },
  ERR_CMS_ALGORITHM: {
    'zh-TW': '簽章檔使用本系統不支援或不安全的演算法，請以新版簽章工具重新簽署。',
    en: 'The signature file uses an algorithm this system does not accept. Please sign again with an up-to-date tool.',
  },
  ERR_CMS_DIGEST_MISMATCH: {
    'zh-TW': '文件內容與簽章不符（文件可能已被修改，或選錯了文件）。',
    en: 'The document does not match the signature (it may have been changed, or the wrong document was chosen).',
  },
  ERR_CMS_SIGNATURE: {
    'zh-TW': '簽章驗證失敗，簽章檔可能已被竄改。',
    en: 'The signature is not valid; the signature file may have been tampered with.',
  },
  ERR_CMS_ATTRIBUTES: {
    'zh-TW': '簽章檔缺少必要的簽署資訊或資訊不一致，無法驗證。',
    en: 'The signature file lacks required signing information or it is inconsistent, so it cannot be checked.',
  },
};

export function isVerificationErrorCode(value: unknown): value is VerificationErrorCode {
  return typeof value === 'string' && (VERIFICATION_ERROR_CODES as readonly string[]).includes(value);
}

/** Thrown by every verifier in CardBridge; `code` is one of the closed list above. */
export class VerificationError extends Error {
  readonly code: VerificationErrorCode;
  /** Technical details for logs (never shown to the clerk as is). */
  readonly details?: Readonly<Record<string, unknown>>;

  constructor(code: VerificationErrorCode, details?: Record<string, unknown>) {
    const reason = typeof details?.reason === 'string' ? ` (${details.reason})` : '';
    super(`${code}: ${VERIFICATION_ERROR_MESSAGES[code].en}${reason}`);
    this.name = 'VerificationError';
    this.code = code;
    if (details) this.details = details;
  }

  /** The clerk-facing text in the given language. */
  text(language: keyof LocalizedText = 'zh-TW'): string {
    return VERIFICATION_ERROR_MESSAGES[this.code][language];
  }
}
