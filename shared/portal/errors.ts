/**
 * The closed list of reference-portal error codes (portal/API.md). Every code has a zh-TW and an
 * English text written for a clerk, and an HTTP status. Codes are never reused for another meaning;
 * add new ones at the end. The portal pages show `PORTAL_ERROR_MESSAGES[code][language]`; the API
 * body carries the English text as `message`.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { LocalizedText } from '../protocol/errors.ts';

export const PORTAL_ERROR_CODES = [
  'ERR_PORTAL_BAD_REQUEST',
  'ERR_PORTAL_INVALID_ID_NUMBER',
  'ERR_PORTAL_INVALID_UBN',
  'ERR_PORTAL_INVALID_CARD_NUMBER',
  'ERR_PORTAL_INVALID_UNIT_CODE',
  'ERR_PORTAL_INVALID_EMAIL',
  'ERR_PORTAL_NONCE_INVALID',
  'ERR_PORTAL_TOKEN_INVALID',
  'ERR_PORTAL_TOKEN_SIGNATURE',
  'ERR_PORTAL_CERT_UNTRUSTED',
  'ERR_PORTAL_CERT_EXPIRED',
  'ERR_PORTAL_CERT_NOT_YET_VALID',
  'ERR_PORTAL_CERT_REVOKED',
  'ERR_PORTAL_CRL_UNAVAILABLE',
  'ERR_PORTAL_CERT_KEY_USAGE',
  'ERR_PORTAL_CERT_NOT_UNIT',
  'ERR_PORTAL_CERT_NOT_PERSON',
  'ERR_PORTAL_UNIT_UNKNOWN',
  'ERR_PORTAL_UNIT_MISMATCH',
  'ERR_PORTAL_UNIT_NOT_REGISTERED',
  'ERR_PORTAL_ALREADY_REGISTERED',
  'ERR_PORTAL_NOT_RESPONSIBLE_PERSON',
  'ERR_PORTAL_CREDENTIAL_MISMATCH',
  'ERR_PORTAL_NHI_UNAVAILABLE',
  'ERR_PORTAL_NHI_CARD_UNKNOWN',
  'ERR_PORTAL_NHI_CARD_MISMATCH',
  'ERR_PORTAL_NHI_RESPONSE_INVALID',
  'ERR_PORTAL_PASSWORD_NOT_SET',
  'ERR_PORTAL_PASSWORD_WRONG',
  'ERR_PORTAL_PASSWORD_LOCKED',
  'ERR_PORTAL_PASSWORD_ALREADY_SET',
  'ERR_PORTAL_CLERK_NOT_ASSIGNED',
  'ERR_PORTAL_CLERK_REVOKED',
  'ERR_PORTAL_CLERK_LIMIT',
  'ERR_PORTAL_CLERK_DUPLICATE',
  'ERR_PORTAL_CLERK_NOT_FOUND',
  'ERR_PORTAL_UNIT_CODE_REQUIRED',
  'ERR_PORTAL_SESSION_MISSING',
  'ERR_PORTAL_SESSION_EXPIRED',
  'ERR_PORTAL_ROLE',
  'ERR_PORTAL_RATE_LIMITED',
  'ERR_PORTAL_ORIGIN_NOT_ALLOWED',
  'ERR_PORTAL_NOT_FOUND',
  'ERR_PORTAL_INTERNAL',
  'ERR_PORTAL_BODY_TOO_LARGE',
  'ERR_PORTAL_HEADERS_TOO_LARGE',
  'ERR_PORTAL_CONTROL_CHARACTER',
  // Given by the pages' client (extension/pages/portal/api.ts), never sent by the portal.
  'ERR_PORTAL_UNREACHABLE',
  'ERR_PORTAL_REPLY_INVALID',
  // Filings queries (shared/portal/queriesApi.ts).
  'ERR_PORTAL_RECORD_NOT_FOUND',
  'ERR_PORTAL_INVALID_DATE',
  // E-payment slips (issue 11).
  'ERR_PORTAL_SLIP_PERIOD_INVALID',
  'ERR_PORTAL_SLIP_PERIOD_OUTSIDE_WINDOW',
  'ERR_PORTAL_SLIP_NOTHING_TO_BILL',
  'ERR_PORTAL_SLIP_CONFIRM_INVALID',
  'ERR_PORTAL_SLIP_CONFIRM_EXPIRED',
  'ERR_PORTAL_SLIP_NOT_SUBSCRIBED',
  // Filings (issue 10).
  'ERR_PORTAL_SUBMISSION_OTHER_UNIT',
  'ERR_PORTAL_SIGNATURE_MISMATCH',
  'ERR_PORTAL_SIGNER_NOT_CLERK',
  'ERR_PORTAL_SIGNATURE_STALE',
  'ERR_PORTAL_FILING_INVALID',
  'ERR_PORTAL_SUBMISSION_NOT_FOUND',
  'ERR_PORTAL_SUBMISSION_REPLAYED',
  // Batch upload (issue 10).
  'ERR_PORTAL_BATCH_TOO_LARGE',
  'ERR_PORTAL_BATCH_ENCODING',
  'ERR_PORTAL_BATCH_FILE_TYPE',
  'ERR_PORTAL_BATCH_MACROS',
  'ERR_PORTAL_BATCH_UNREADABLE',
  // A text field refused by its rule (shared/fields/rules.ts; the mapping is ./fieldErrors.ts).
  'ERR_PORTAL_FIELD_REQUIRED',
  'ERR_PORTAL_FIELD_TOO_LONG',
  'ERR_PORTAL_INVALID_NAME',
  // A unit's billing cycle changed by an operator (npm run portal:billing-cycle, issue 11).
  'ERR_PORTAL_BILLING_CYCLE_INVALID',
  'ERR_PORTAL_BILLING_CYCLE_MONTH_INVALID',
  'ERR_PORTAL_BILLING_CYCLE_MONTH_BILLED',
] as const;

export type PortalErrorCode = (typeof PORTAL_ERROR_CODES)[number];

export interface PortalErrorSpec extends LocalizedText {
  status: number;
}

export const PORTAL_ERROR_MESSAGES: Readonly<Record<PortalErrorCode, PortalErrorSpec>> = {
  ERR_PORTAL_BAD_REQUEST: {
    status: 400,
    'zh-TW': '送出的資料不完整或格式不正確，請檢查標示的欄位後再送出。',
    en: 'Some of the data sent is missing or not in the right form. Please check the marked field and send it again.',
  },
  ERR_PORTAL_INVALID_ID_NUMBER: {
    status: 400,
    'zh-TW': '身分證字號格式或檢查碼不正確，請再核對一次。',
    en: 'The ID number is not in the right form or its check digit is wrong. Please check it again.',
  },
  ERR_PORTAL_INVALID_UBN: {
    status: 400,
    'zh-TW': '統一編號格式或檢查碼不正確，請再核對一次。',
    en: 'The unified business number is not in the right form or its check digit is wrong. Please check it again.',
  },
  ERR_PORTAL_INVALID_CARD_NUMBER: {
    status: 400,
    'zh-TW': '健保卡號應為卡片正面左下角的 12 位數字，請再核對一次。',
    en: 'The NHI card number is the 12 digits printed bottom-left on the front of the card. Please check it again.',
  },
  ERR_PORTAL_INVALID_UNIT_CODE: {
    status: 400,
    'zh-TW': '投保單位代號格式不正確，請再核對一次。',
    en: 'The insured unit code is not in the right form. Please check it again.',
  },
  ERR_PORTAL_INVALID_EMAIL: {
    status: 400,
    'zh-TW': '電子郵件地址格式不正確，請再核對一次。',
    en: 'The e-mail address is not in the right form. Please check it again.',
  },
  ERR_PORTAL_NONCE_INVALID: {
    status: 401,
    'zh-TW': '這次操作已逾時或已使用過，請重新整理網頁後再試一次。',
    en: 'This attempt has expired or was already used. Please reload the page and try again.',
  },
  ERR_PORTAL_TOKEN_INVALID: {
    status: 401,
    'zh-TW': '收到的卡片簽章資料不正確，請重新操作；若一再發生，請更新卡橋。',
    en: 'The card signature data received is not valid. Please try again; if it keeps happening, update CardBridge.',
  },
  ERR_PORTAL_TOKEN_SIGNATURE: {
    status: 401,
    'zh-TW': '卡片簽章驗證失敗（可能不是在本網站或本次操作時簽的），請重新操作。',
    en: 'The card signature is not valid (it may not have been made for this website or this attempt). Please try again.',
  },
  ERR_PORTAL_CERT_UNTRUSTED: {
    status: 401,
    'zh-TW': '這張憑證不是由本系統信任的憑證機構簽發，無法使用。',
    en: 'This certificate was not issued by a certification authority this portal trusts, so it cannot be used.',
  },
  ERR_PORTAL_CERT_EXPIRED: {
    status: 401,
    'zh-TW': '憑證已過期，請向發卡單位辦理憑證展期或換發。',
    en: 'The certificate has expired. Please ask the issuer to renew or replace it.',
  },
  ERR_PORTAL_CERT_NOT_YET_VALID: {
    status: 401,
    'zh-TW': '憑證尚未生效，請於生效日後再使用。',
    en: 'The certificate is not valid yet. Please use it after its start date.',
  },
  ERR_PORTAL_CERT_REVOKED: {
    status: 401,
    'zh-TW': '憑證已被廢止（停用），無法使用；請向發卡單位洽詢。',
    en: 'The certificate has been revoked and cannot be used. Please contact the issuer.',
  },
  ERR_PORTAL_CRL_UNAVAILABLE: {
    status: 503,
    'zh-TW': '目前無法確認憑證是否已被廢止，請稍後再試；若一再發生，請聯絡客服。',
    en: 'Whether the certificate was revoked cannot be checked now. Please try later; if it keeps happening, contact the help desk.',
  },
  ERR_PORTAL_CERT_KEY_USAGE: {
    status: 401,
    'zh-TW': '這張憑證不能用於登入或簽章（可能是加密用憑證），請改用簽章用憑證。',
    en: 'This certificate cannot be used to log in or sign (it may be the encryption certificate). Please use the signing certificate.',
  },
  ERR_PORTAL_CERT_NOT_UNIT: {
    status: 403,
    'zh-TW': '這項作業需要單位憑證（工商、政府或組織及團體憑證），不能使用個人的自然人憑證。',
    en: "This needs a unit certificate (company, government or organisation certificate); a person's citizen certificate cannot be used.",
  },
  ERR_PORTAL_CERT_NOT_PERSON: {
    status: 403,
    'zh-TW': '經辦人需使用本人的自然人憑證或健保卡，不能使用單位憑證。',
    en: 'Clerks use their own citizen certificate or NHI card; a unit certificate cannot be used.',
  },
  ERR_PORTAL_UNIT_UNKNOWN: {
    status: 404,
    'zh-TW': '查無此投保單位的資料，請確認憑證或投保單位代號；若有疑問，請洽健保署。',
    en: 'No insured unit was found for this certificate or unit code. Please check it, or ask the NHIA.',
  },
  ERR_PORTAL_UNIT_MISMATCH: {
    status: 403,
    'zh-TW': '憑證所屬的單位與輸入的投保單位代號不符。',
    en: 'The certificate belongs to another unit than the unit code entered.',
  },
  ERR_PORTAL_UNIT_NOT_REGISTERED: {
    status: 403,
    'zh-TW': '此投保單位尚未完成單位註冊，請先辦理單位註冊。',
    en: 'This insured unit has not registered yet. Please register the unit first.',
  },
  ERR_PORTAL_ALREADY_REGISTERED: {
    status: 409,
    'zh-TW': '此投保單位已經註冊過了，請直接登入；如需重新註冊，請先註銷原註冊。',
    en: 'This insured unit is already registered. Please log in; to register again, cancel the registration first.',
  },
  ERR_PORTAL_NOT_RESPONSIBLE_PERSON: {
    status: 403,
    'zh-TW': '這張健保卡不是此投保單位負責人的健保卡，請改用負責人的健保卡或單位憑證。',
    en: "This NHI card is not the unit's responsible person's card. Please use the responsible person's card or the unit certificate.",
  },
  ERR_PORTAL_CREDENTIAL_MISMATCH: {
    status: 403,
    'zh-TW': '使用的卡片不屬於目前登入的單位，請改用本單位的憑證或負責人健保卡。',
    en: "The card used does not belong to the unit that is logged in. Please use this unit's certificate or responsible person's NHI card.",
  },
  ERR_PORTAL_NHI_UNAVAILABLE: {
    status: 503,
    'zh-TW': '目前無法使用健保卡驗證，請稍後再試或改用憑證。',
    en: 'NHI card checks are not available now. Please try later or use a certificate.',
  },
  ERR_PORTAL_NHI_CARD_UNKNOWN: {
    status: 404,
    'zh-TW': '查無此健保卡的資料，請確認卡片是否有效；若有疑問，請洽健保署。',
    en: 'This NHI card is not on record. Please check that the card is valid, or ask the NHIA.',
  },
  ERR_PORTAL_NHI_CARD_MISMATCH: {
    status: 400,
    'zh-TW': '健保卡號與身分證字號不相符，請再核對一次。',
    en: 'The NHI card number and the ID number do not belong together. Please check them again.',
  },
  ERR_PORTAL_NHI_RESPONSE_INVALID: {
    status: 401,
    'zh-TW': '健保卡驗證失敗，請確認插入的是正確的健保卡後重新操作。',
    en: 'The NHI card check failed. Please check that the right NHI card is inserted and try again.',
  },
  ERR_PORTAL_PASSWORD_NOT_SET: {
    status: 403,
    'zh-TW': '這張健保卡尚未註冊網路服務密碼，請先辦理健保卡註冊。',
    en: 'No web password has been set for this NHI card yet. Please register the card first.',
  },
  ERR_PORTAL_PASSWORD_WRONG: {
    status: 401,
    'zh-TW': '健保卡網路服務密碼錯誤，請再試一次。',
    en: 'The NHI card web password is wrong. Please try again.',
  },
  ERR_PORTAL_PASSWORD_LOCKED: {
    status: 429,
    'zh-TW': '健保卡網路服務密碼連續輸入錯誤太多次，已暫停使用 15 分鐘，請稍後再試。',
    en: 'The NHI card web password was wrong too many times in a row. It is locked for 15 minutes; please try again later.',
  },
  ERR_PORTAL_PASSWORD_ALREADY_SET: {
    status: 409,
    'zh-TW': '這張健保卡已經註冊過網路服務密碼了。',
    en: 'A web password has already been set for this NHI card.',
  },
  ERR_PORTAL_CLERK_NOT_ASSIGNED: {
    status: 403,
    'zh-TW':
      '您尚未被投保單位登錄為經辦人，請洽貴單位以單位憑證或負責人健保卡登入，於「單位管理者登錄作業」登錄您。',
    en: "You have not been assigned as a clerk of the unit. Ask your unit to log in with its unit certificate or the responsible person's NHI card and add you under unit administrator registration.",
  },
  ERR_PORTAL_CLERK_REVOKED: {
    status: 403,
    'zh-TW': '您的經辦人資格已被投保單位取消。',
    en: 'The unit has withdrawn your clerk assignment.',
  },
  ERR_PORTAL_CLERK_LIMIT: {
    status: 409,
    'zh-TW': '經辦人人數已達上限，請先取消不再需要的經辦人。',
    en: 'The unit already has the most clerks allowed. Please withdraw a clerk who no longer needs access first.',
  },
  ERR_PORTAL_CLERK_DUPLICATE: {
    status: 409,
    'zh-TW': '這位經辦人已經登錄過了。',
    en: 'This clerk is already assigned.',
  },
  ERR_PORTAL_CLERK_NOT_FOUND: {
    status: 404,
    'zh-TW': '找不到這位經辦人（可能已被取消），請重新整理清單。',
    en: 'This clerk was not found (they may have been withdrawn already). Please reload the list.',
  },
  ERR_PORTAL_UNIT_CODE_REQUIRED: {
    status: 400,
    'zh-TW': '請輸入投保單位代號。',
    en: 'Please enter the insured unit code.',
  },
  ERR_PORTAL_SESSION_MISSING: {
    status: 401,
    'zh-TW': '請先登入。',
    en: 'Please log in first.',
  },
  ERR_PORTAL_SESSION_EXPIRED: {
    status: 401,
    'zh-TW': '登入已逾時或已結束，請重新登入。',
    en: 'Your login has expired or ended. Please log in again.',
  },
  ERR_PORTAL_ROLE: {
    status: 403,
    'zh-TW': '您目前的登入身分不能使用這項功能。',
    en: 'This function is not available for the role you are logged in with.',
  },
  ERR_PORTAL_RATE_LIMITED: {
    status: 429,
    'zh-TW': '短時間內嘗試次數太多，請稍候一分鐘再試。',
    en: 'Too many attempts in a short time. Please wait a minute and try again.',
  },
  ERR_PORTAL_ORIGIN_NOT_ALLOWED: {
    status: 403,
    'zh-TW': '這個網頁不能使用本系統的服務。',
    en: 'This web page is not allowed to use this service.',
  },
  ERR_PORTAL_NOT_FOUND: {
    status: 404,
    'zh-TW': '找不到要求的功能或網頁。',
    en: 'The requested function or page was not found.',
  },
  ERR_PORTAL_INTERNAL: {
    status: 500,
    'zh-TW': '系統發生錯誤，請稍後再試；若一再發生，請聯絡客服。',
    en: 'Something went wrong. Please try again later; if it keeps happening, contact the help desk.',
  },
  ERR_PORTAL_BODY_TOO_LARGE: {
    status: 413,
    'zh-TW': '送出的資料量太大，系統無法受理。',
    en: 'The data sent is too large to be accepted.',
  },
  ERR_PORTAL_HEADERS_TOO_LARGE: {
    status: 431,
    'zh-TW': '連線要求的標頭太大，系統無法受理；請清除瀏覽器資料後再試。',
    en: 'The request headers are too large to be accepted. Please clear the browser data and try again.',
  },
  ERR_PORTAL_CONTROL_CHARACTER: {
    status: 400,
    'zh-TW': '送出的資料含有不可見的控制字元，請重新輸入標示的欄位。',
    en: 'The data sent contains invisible control characters. Please type the marked field again.',
  },
  ERR_PORTAL_UNREACHABLE: {
    status: 503,
    'zh-TW': '無法連線到入口網站，請確認網路連線與設定中的入口網站位址後再試一次。',
    en: 'The portal cannot be reached. Please check the network connection and the portal address in the settings, then try again.',
  },
  ERR_PORTAL_REPLY_INVALID: {
    status: 502,
    'zh-TW': '入口網站的回覆無法辨識（可能是版本不相符），請稍後再試；若一再發生，請更新卡橋或聯絡客服。',
    en: "The portal's answer could not be understood (the versions may not match). Please try later; if it keeps happening, update CardBridge or contact the help desk.",
  },
  ERR_PORTAL_RECORD_NOT_FOUND: {
    status: 404,
    'zh-TW': '找不到這筆資料（可能不屬於本單位，或已有異動），請重新查詢。',
    en: 'This record was not found (it may not belong to this unit, or it has changed). Please search again.',
  },
  ERR_PORTAL_INVALID_DATE: {
    status: 400,
    'zh-TW': '日期不正確，請輸入實際存在的日期，例如 2026-12-02。',
    en: 'The date is not valid. Please enter a day that exists, for example 2026-12-02.',
  },
  ERR_PORTAL_SLIP_PERIOD_INVALID: {
    status: 400,
    'zh-TW': '繳款單期別不正確，或不是貴單位的繳費週期（按月或雙月）所有的期別。',
    en: "The slip period is not valid, or not one of your unit's billing cycle (monthly or bi-monthly).",
  },
  ERR_PORTAL_SLIP_PERIOD_OUTSIDE_WINDOW: {
    status: 404,
    'zh-TW': '下載區只提供去年 1 月起至最近一期（每月 20 日出單）的繳款單與明細表，這個期別不在範圍內。',
    en: 'The download area keeps slips and statements from January of last year up to the latest issue (the 20th of each month); this period is outside that range.',
  },
  ERR_PORTAL_SLIP_NOTHING_TO_BILL: {
    status: 404,
    'zh-TW': '這個期別貴單位沒有在保人員，不需繳費，因此沒有繳款單或明細表。',
    en: 'Your unit had no one insured in this period, so there is nothing to pay and no slip or statement.',
  },
  ERR_PORTAL_SLIP_CONFIRM_INVALID: {
    status: 404,
    'zh-TW': '這個確認連結無效或已經使用過。請回到「電子繳款單申請及查詢」查看目前的信箱，必要時重新申請。',
    en: 'This confirmation link is not valid or has already been used. Check the current address under e-payment slip subscription and apply again if needed.',
  },
  ERR_PORTAL_SLIP_CONFIRM_EXPIRED: {
    status: 404,
    'zh-TW': '這個確認連結已經過期，請回到「電子繳款單申請及查詢」重新申請。',
    en: 'This confirmation link has expired. Please apply again under e-payment slip subscription.',
  },
  ERR_PORTAL_SLIP_NOT_SUBSCRIBED: {
    status: 409,
    'zh-TW': '貴單位目前沒有申請電子繳款單，不需要取消。',
    en: 'Your unit has no e-payment slip subscription to cancel.',
  },
  ERR_PORTAL_SUBMISSION_OTHER_UNIT: {
    status: 403,
    'zh-TW': '申報資料的投保單位代號不是您登入的單位，只能為本單位申報。',
    en: 'The filing names another insured unit than the one you are logged in for. You can only file for your own unit.',
  },
  ERR_PORTAL_SIGNATURE_MISMATCH: {
    status: 401,
    'zh-TW': '簽章與申報內容不符（內容可能在簽署後被更改），請重新簽署後再送出。',
    en: 'The signature does not match the filing (it may have changed after signing). Please sign it again and send it.',
  },
  ERR_PORTAL_SIGNER_NOT_CLERK: {
    status: 403,
    'zh-TW': '簽署申報須使用您登入時的同一張憑證或健保卡，請改用該卡片重新簽署。',
    en: 'Filings must be signed with the same certificate or NHI card you logged in with. Please sign again with that card.',
  },
  ERR_PORTAL_SIGNATURE_STALE: {
    status: 401,
    'zh-TW': '簽署時間與系統時間相差太多（超過 10 分鐘），請確認電腦時間正確後重新簽署。',
    en: "The signing time is too far from the portal's clock (more than 10 minutes). Please check this computer's clock and sign again.",
  },
  ERR_PORTAL_FILING_INVALID: {
    status: 400,
    'zh-TW': '申報資料有欄位不正確，請依標示的欄位修正後重新簽署送出。',
    en: 'A field of the filing is not right. Please correct the marked field, then sign and send again.',
  },
  ERR_PORTAL_SUBMISSION_NOT_FOUND: {
    status: 404,
    'zh-TW': '查無此筆申報（受理編號不存在或不屬於本單位）。',
    en: 'This submission was not found (the receipt does not exist or belongs to another unit).',
  },
  ERR_PORTAL_SUBMISSION_REPLAYED: {
    status: 409,
    'zh-TW': '這份已簽署的申報已經送出過了，不會重複受理；如需再申報，請重新簽署。',
    en: 'This signed filing was already sent and is not accepted twice. To file again, sign it again.',
  },
  ERR_PORTAL_BATCH_TOO_LARGE: {
    status: 413,
    'zh-TW': '檔案超過 10 MB，請分成幾個檔案上傳（每個檔案最多 5,000 筆）。',
    en: 'The file is larger than 10 MB. Please split it into several files (at most 5,000 rows each).',
  },
  ERR_PORTAL_BATCH_ENCODING: {
    status: 400,
    'zh-TW':
      '無法辨識檔案的文字編碼（僅接受 UTF-8 或 Big5），請在 Excel 另存為「CSV UTF-8（逗號分隔）」後再上傳。',
    en: 'The text encoding of the file is not recognised (only UTF-8 or Big5). Please save it in Excel as "CSV UTF-8 (Comma delimited)" and upload it again.',
  },
  ERR_PORTAL_BATCH_FILE_TYPE: {
    status: 400,
    'zh-TW': '只接受 CSV（.csv）或 Excel 活頁簿（.xlsx）檔，請使用下載的範本另存後再上傳。',
    en: 'Only CSV (.csv) and Excel workbook (.xlsx) files are accepted. Please save the file from the template and upload it again.',
  },
  ERR_PORTAL_BATCH_MACROS: {
    status: 400,
    'zh-TW': '檔案含有巨集（.xlsm），基於安全不予受理；請另存為 Excel 活頁簿（.xlsx）或 CSV 後再上傳。',
    en: 'The file contains macros (.xlsm) and is refused for safety. Please save it as an Excel workbook (.xlsx) or CSV and upload it again.',
  },
  ERR_PORTAL_BATCH_UNREADABLE: {
    status: 400,
    'zh-TW': '檔案已損壞或不是有效的 Excel 活頁簿，請在 Excel 開啟確認後重新儲存再上傳。',
    en: 'The file is damaged or not a valid Excel workbook. Please open it in Excel, save it again and upload it.',
  },
  ERR_PORTAL_FIELD_REQUIRED: {
    status: 400,
    'zh-TW': '標示的欄位必須填寫（只有空白不算），請填入後再送出。',
    en: 'The marked field is required (spaces alone do not count). Please fill it in and send again.',
  },
  ERR_PORTAL_FIELD_TOO_LONG: {
    status: 400,
    'zh-TW': '標示的欄位太長，請縮短後再送出。',
    en: 'The marked field is too long. Please shorten it and send again.',
  },
  ERR_PORTAL_INVALID_NAME: {
    status: 400,
    'zh-TW': '姓名只能使用中文字，或英文字母加空格、連字號、撇號及間隔號「·」，請依身分證件上的寫法修正。',
    en: 'A name may contain only Chinese characters, or Latin letters with spaces, hyphens, apostrophes and the middle dot "·". Please write it as on the identity document.',
  },
  ERR_PORTAL_BILLING_CYCLE_INVALID: {
    status: 400,
    'zh-TW': '繳費週期只能是 monthly（按月）或 bimonthly（雙月）。',
    en: 'The billing cycle must be monthly or bimonthly.',
  },
  ERR_PORTAL_BILLING_CYCLE_MONTH_INVALID: {
    status: 400,
    'zh-TW': '起算月份請寫成 YYYY-MM，且須為單數月（雙月期別由單數月開始，例如 2027-03）。',
    en: 'The starting month must be written YYYY-MM and be an odd month (bi-monthly periods start in odd months, for example 2027-03).',
  },
  ERR_PORTAL_BILLING_CYCLE_MONTH_BILLED: {
    status: 409,
    'zh-TW': '這個月份的保費已經出單，不能再改繳費週期；請從下一個尚未出單的單數月起算。',
    en: 'A slip for this month has already been issued, so its billing cycle cannot change. Please start from the next odd month not yet billed.',
  },
};

export function isPortalErrorCode(value: unknown): value is PortalErrorCode {
  return typeof value === 'string' && (PORTAL_ERROR_CODES as readonly string[]).includes(value);
}

/** The JSON error body of every refusal: `{error: {code, message (English), field?}}`. */
export const PortalErrorReply = Type.Object(
  {
    error: Type.Object({
      code: Type.Union(PORTAL_ERROR_CODES.map((c) => Type.Literal(c))),
      message: Type.String(),
      field: Type.Optional(Type.String()),
    }),
  },
  { description: 'Every refusal: a code of shared/portal/errors.ts' },
);
export type PortalErrorBody = Static<typeof PortalErrorReply>;

export function portalErrorBody(code: PortalErrorCode, field?: string): PortalErrorBody {
  const error: PortalErrorBody['error'] = { code, message: PORTAL_ERROR_MESSAGES[code].en };
  if (field) error.field = field;
  return { error };
}

/** The clerk-facing text of a code in a language (for pages that received an error body). */
export function portalErrorText(code: string, language: keyof LocalizedText = 'zh-TW'): string {
  return PORTAL_ERROR_MESSAGES[isPortalErrorCode(code) ? code : 'ERR_PORTAL_INTERNAL'][language];
}

/**
 * A refusal, on both ends: the portal's services throw it and the server turns it into the body above
 * with its HTTP status; the pages' client throws it for a refusal it received, an unreachable portal
 * or a reply it could not understand.
 */
export class PortalError extends Error {
  readonly code: PortalErrorCode;
  /** The request field the refusal is about (e.g. "unitCode", "proof.password"). */
  readonly field?: string;
  /** The HTTP status the portal answers this code with. */
  readonly statusCode: number;
  /** Technical detail for the audit and server logs (never sent to the client, never shown to a clerk). */
  readonly detail?: string;

  constructor(code: PortalErrorCode, options: { field?: string; detail?: string } = {}) {
    super(`${code}: ${PORTAL_ERROR_MESSAGES[code].en}`);
    this.name = 'PortalError';
    this.code = code;
    this.statusCode = PORTAL_ERROR_MESSAGES[code].status;
    if (options.field) this.field = options.field;
    if (options.detail) this.detail = options.detail;
  }
}
