/**
 * The closed list of CardBridge error codes (protocol v1). Every code has a zh-TW and an English
 * message written for a clerk. Codes are never reused for another meaning; add new ones at the end.
 */
export const ERROR_CODES = [
  'ERR_BAD_REQUEST',
  'ERR_UNKNOWN_COMMAND',
  'ERR_MESSAGE_TOO_LARGE',
  'ERR_PCSC_UNAVAILABLE',
  'ERR_NO_READER',
  'ERR_NO_CARD',
  'ERR_CARD_REMOVED',
  'ERR_UNSUPPORTED_CARD',
  'ERR_CARD_IO',
  'ERR_PIN_INCORRECT',
  'ERR_PIN_LOCKED',
  'ERR_TOKEN_UNAVAILABLE',
  'ERR_CERTIFICATE_NOT_FOUND',
  'ERR_USER_CANCELLED',
  'ERR_TIMEOUT',
  'ERR_ORIGIN_NOT_ALLOWED',
  'ERR_INTERNAL',
  'ERR_READER_NOT_FOUND',
  'ERR_CARD_BUSY',
  // Raised by the extension and the page library, not by the host:
  'ERR_HOST_NOT_INSTALLED',
  'ERR_HOST_FAILED',
  'ERR_HOST_INCOMPATIBLE',
  'ERR_EXTENSION_UNAVAILABLE',
  'ERR_ACTION_PENDING',
  'ERR_CONTEXT_INSECURE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface LocalizedText {
  'zh-TW': string;
  en: string;
}

export const ERROR_MESSAGES: Readonly<Record<ErrorCode, LocalizedText>> = {
  ERR_BAD_REQUEST: {
    'zh-TW': '收到格式不正確的要求，已略過。',
    en: 'A malformed request was received and ignored.',
  },
  ERR_UNKNOWN_COMMAND: {
    'zh-TW': '卡橋元件不認得這個指令，請更新卡橋。',
    en: 'The CardBridge component does not know this command. Please update CardBridge.',
  },
  ERR_MESSAGE_TOO_LARGE: {
    'zh-TW': '要求資料超過 1 MiB 上限，卡橋元件已停止；請重新操作。',
    en: 'The request was larger than 1 MiB; the CardBridge component stopped. Please try again.',
  },
  ERR_PCSC_UNAVAILABLE: {
    'zh-TW': '電腦的智慧卡服務沒有執行，請啟動智慧卡服務（Windows：Smart Card；Linux：pcscd）。',
    en: 'The smart-card service is not running. Please start it (Windows: Smart Card; Linux: pcscd).',
  },
  ERR_NO_READER: {
    'zh-TW': '找不到讀卡機，請確認讀卡機已插上電腦。',
    en: 'No card reader was found. Please plug in the card reader.',
  },
  ERR_NO_CARD: {
    'zh-TW': '讀卡機內沒有卡片，請插入健保卡或憑證卡。',
    en: 'There is no card in the reader. Please insert your NHI card or certificate card.',
  },
  ERR_CARD_REMOVED: {
    'zh-TW': '操作途中卡片被取出，請重新插入卡片後再試一次。',
    en: 'The card was removed during the operation. Please reinsert it and try again.',
  },
  ERR_UNSUPPORTED_CARD: {
    'zh-TW': '讀卡機內的卡片不是這項作業需要的卡片（例如需要健保卡）。',
    en: 'The card in the reader is not the kind this operation needs (for example an NHI card).',
  },
  ERR_CARD_IO: {
    'zh-TW': '讀取卡片時發生錯誤，請將卡片取出重新插入後再試。',
    en: 'The card could not be read. Please take it out, reinsert it and try again.',
  },
  ERR_PIN_INCORRECT: {
    'zh-TW': 'PIN 碼錯誤，請再試一次；多次錯誤會鎖卡。',
    en: 'Wrong PIN. Please try again; too many wrong tries lock the card.',
  },
  ERR_PIN_LOCKED: {
    'zh-TW': '卡片 PIN 碼已鎖住，請向發卡單位辦理解鎖。',
    en: 'The card PIN is locked. Please ask the card issuer to unlock it.',
  },
  ERR_TOKEN_UNAVAILABLE: {
    'zh-TW': '無法使用憑證卡或憑證檔，請確認卡片已插好或檔案存在。',
    en: 'The certificate card or file cannot be used. Please check the card or the file.',
  },
  ERR_CERTIFICATE_NOT_FOUND: {
    'zh-TW':
      '找不到這項作業可用的憑證，請確認插入的是正確的卡片；還沒有這種憑證的話，卡橋「環境檢查」頁列有各類憑證的申請方式。',
    en: 'No certificate for this task was found. Please check that the right card is inserted; without one, the CardBridge self-check lists where to apply for each kind.',
  },
  ERR_USER_CANCELLED: {
    'zh-TW': '您已取消這項操作。',
    en: 'You cancelled the operation.',
  },
  ERR_TIMEOUT: {
    'zh-TW': '操作逾時，請再試一次。',
    en: 'The operation timed out. Please try again.',
  },
  ERR_ORIGIN_NOT_ALLOWED: {
    'zh-TW': '這個網站不在允許使用卡橋的清單中。',
    en: 'This website is not allowed to use CardBridge.',
  },
  ERR_INTERNAL: {
    'zh-TW': '卡橋元件發生內部錯誤，請重新操作；若一再發生，請聯絡資訊人員。',
    en: 'CardBridge had an internal error. Please try again; if it keeps happening, contact IT.',
  },
  ERR_READER_NOT_FOUND: {
    'zh-TW': '找不到指定的讀卡機，可能已被拔除。',
    en: 'The chosen card reader was not found; it may have been unplugged.',
  },
  ERR_HOST_NOT_INSTALLED: {
    'zh-TW': '電腦上沒有安裝卡橋元件，請依環境檢查頁的說明安裝。',
    en: 'The CardBridge component is not installed on this computer. Install it as the self-check page explains.',
  },
  ERR_HOST_FAILED: {
    'zh-TW': '卡橋元件已安裝但無法啟動，請重新安裝卡橋元件；若仍失敗，請聯絡資訊人員。',
    en: 'The CardBridge component is installed but does not start. Reinstall it; if that does not help, contact IT.',
  },
  ERR_HOST_INCOMPATIBLE: {
    'zh-TW': '卡橋元件與瀏覽器擴充功能的版本不相容，請將兩者都更新到最新版。',
    en: 'The CardBridge component and the browser extension do not match. Update both to the latest version.',
  },
  ERR_EXTENSION_UNAVAILABLE: {
    'zh-TW': '瀏覽器沒有安裝或停用了卡橋擴充功能，請安裝並啟用後重新整理網頁。',
    en: 'The CardBridge browser extension is missing or turned off. Install and enable it, then reload the page.',
  },
  ERR_ACTION_PENDING: {
    'zh-TW': '上一個相同的操作還在進行中，請先完成或取消它。',
    en: 'The same operation is still in progress. Finish or cancel it first.',
  },
  ERR_CONTEXT_INSECURE: {
    'zh-TW': '這個網頁不是安全連線（https），不能使用卡片。',
    en: 'This page is not on a secure (https) connection, so cards cannot be used.',
  },
  ERR_CARD_BUSY: {
    'zh-TW': '卡片正被其他程式使用，請關閉其他讀卡程式後再試。',
    en: 'The card is in use by another program. Please close other card programs and try again.',
  },
};

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
