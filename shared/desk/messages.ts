/**
 * The e-service desk's message catalogue (zh-TW first, English second). Rule messages name the field
 * and say what to do; months are written the Taiwanese way (ROC year).
 */
import { rocDisplayDate, rocDisplayMonth } from '../tw/rocDate.ts';
import type { DeskRuleCode, DeskRuleProblem } from './formRules.ts';

export type DeskLanguage = 'zh-TW' | 'en';

type Params = DeskRuleProblem['params'];
const month = (p: Params, key: string) => rocDisplayMonth(String(p[key]));
const day = (p: Params, key: string) => rocDisplayDate(String(p[key]));

export const DESK_RULE_MESSAGES: Readonly<
  Record<DeskRuleCode, Readonly<Record<DeskLanguage, (p: Params) => string>>>
> = {
  ERR_DESK_MONTH_MALFORMED: {
    'zh-TW': () => '請選擇年月（例如 115/11）。',
    en: () => 'Choose a year and month (for example 2026-11).',
  },
  ERR_DESK_RANGE_REVERSED: {
    'zh-TW': () => '結束年月不可早於起始年月，請重新選擇。',
    en: () => 'The end month is before the start month; choose again.',
  },
  ERR_DESK_RANGE_TOO_LONG: {
    'zh-TW': (p) =>
      `一次最多申請 ${p.max} 個月（目前 ${p.count} 個月）。如需申請 6 個月以上，請分 2 次（含）以上申請。`,
    en: (p) =>
      `At most ${p.max} months per request (this one has ${p.count}). Split longer ranges into two or more requests.`,
  },
  ERR_DESK_MONTH_TOO_EARLY: {
    'zh-TW': (p) => `可申請的最早年月為 ${month(p, 'earliest')}（前一年 1 月起），請調整起始年月。`,
    en: (p) =>
      `The earliest month you can request is ${String(p.earliest)} (January of last year); change the start month.`,
  },
  ERR_DESK_MONTH_IN_FUTURE: {
    'zh-TW': (p) => `只能申請到本月（${month(p, 'latest')}），請調整結束年月。`,
    en: (p) => `You can request up to this month (${String(p.latest)}); change the end month.`,
  },
  ERR_DESK_NOT_YET_AVAILABLE: {
    'zh-TW': (p) =>
      `${month(p, 'month')} 的繳款單及明細表於 ${day(p, 'availableFrom')} 起提供，請於當日以後再申請，或將結束年月改為上個月。`,
    en: (p) =>
      `The slip and statements for ${String(p.month)} are available from ${String(p.availableFrom)}; apply then, or end the range last month.`,
  },
  ERR_DESK_NO_DOCUMENTS: {
    'zh-TW': () => '請至少勾選一種文件（繳款單、保費明細表或員工保費計算彙總表）。',
    en: () => 'Tick at least one document (slip, premium detail or employee summary).',
  },
  ERR_DESK_NO_SLIP_IN_RANGE: {
    'zh-TW': () => '貴單位為雙月繳款，所選期間沒有繳款單（單月才有），請改選包含單月的期間。',
    en: () =>
      'Your unit pays bi-monthly and the months chosen have no slip (only odd months do); include an odd month.',
  },
};

export function deskRuleMessage(problem: DeskRuleProblem, language: DeskLanguage): string {
  return DESK_RULE_MESSAGES[problem.code][language](problem.params);
}

/** Refusals of the desk's account and download pages (the closed list; each names its field). */
export const DESK_ACCOUNT_ERROR_CODES = [
  'ERR_DESK_CAPTCHA_WRONG',
  'ERR_DESK_CARD_NOT_MATCHING',
  'ERR_DESK_UNIT_UNKNOWN',
  'ERR_DESK_ALREADY_REGISTERED',
  'ERR_DESK_PASSWORD_TOO_SHORT',
  'ERR_DESK_PASSWORD_COMMON',
  'ERR_DESK_PASSWORD_MISMATCH',
  'ERR_DESK_LOGIN_FAILED',
  'ERR_DESK_LOCKED',
  'ERR_DESK_NOT_ACTIVATED',
  'ERR_DESK_CURRENT_PASSWORD_WRONG',
  'ERR_DESK_LINK_INVALID',
  'ERR_DESK_CSRF',
  'ERR_DESK_RATE_LIMITED',
  'ERR_DESK_FILE_NOT_FOUND',
  'ERR_DESK_KIND_UNKNOWN',
] as const;
export type DeskAccountErrorCode = (typeof DESK_ACCOUNT_ERROR_CODES)[number];

type Text = Readonly<Record<DeskLanguage, string>>;
const t = (zh: string, en: string): Text => ({ 'zh-TW': zh, en });

export const DESK_ACCOUNT_ERRORS: Readonly<Record<DeskAccountErrorCode, Text>> = {
  ERR_DESK_CAPTCHA_WRONG: t(
    '驗證碼不正確或已過期，請輸入新的驗證碼（圖片中的字或下方問題的答案）。',
    'The captcha is wrong or has expired. Enter the new one (the characters in the picture, or the answer to the question below it).',
  ),
  ERR_DESK_CARD_NOT_MATCHING: t(
    '健保卡號與身分證號不符，請對照健保卡正面再核對一次。',
    'This NHI card number does not belong to this ID number. Please compare it with the front of the card.',
  ),
  ERR_DESK_UNIT_UNKNOWN: t(
    '查無此投保單位代號，請對照健保署核發的代號再核對一次。',
    'No insured unit has this code. Please check it against the code the NHIA issued.',
  ),
  ERR_DESK_ALREADY_REGISTERED: t(
    '此經辦人已在本投保單位註冊過帳號，請直接登入；忘記密碼請使用「忘記密碼」。',
    'This clerk already has an account for this unit. Log in, or use "Forgot password".',
  ),
  ERR_DESK_PASSWORD_TOO_SHORT: t(
    '密碼至少需 {min} 個字元；較長的一句話比複雜的短密碼更安全。',
    'The password needs at least {min} characters; a long phrase is safer than a short complex word.',
  ),
  ERR_DESK_PASSWORD_COMMON: t(
    '這個密碼太常見或太容易猜到，請換一個（例如幾個不相關的詞組成的一句話）。',
    'This password is too common or too easy to guess. Choose another (for example a few unrelated words).',
  ),
  ERR_DESK_PASSWORD_MISMATCH: t(
    '兩次輸入的密碼不同，請重新輸入。',
    'The two passwords differ. Please type them again.',
  ),
  ERR_DESK_LOGIN_FAILED: t(
    '投保單位代號、身分證號或密碼不正確（或帳號尚未註冊），請再試一次。',
    'The unit code, ID number or password is wrong (or no account exists). Please try again.',
  ),
  ERR_DESK_LOCKED: t(
    '登入失敗次數過多，已暫停登入至 {until}（臺北時間），請於該時間後再試，或使用「忘記密碼」。',
    'Too many failed logins: logging in is paused until {until} (Taipei time). Try again after that, or use "Forgot password".',
  ),
  ERR_DESK_NOT_ACTIVATED: t(
    '帳號尚未啟用，請開啟註冊時寄出的確認信，點選其中的連結啟用帳號。',
    'The account is not activated yet. Open the confirmation e-mail sent at registration and follow its link.',
  ),
  ERR_DESK_CURRENT_PASSWORD_WRONG: t(
    '目前密碼不正確，請再輸入一次。',
    'The current password is wrong. Please enter it again.',
  ),
  ERR_DESK_LINK_INVALID: t(
    '此連結已使用過或已過期。請重新註冊、重新申請重設密碼或重新變更 E-mail，以取得新的連結。',
    'This link has been used already or has expired. Register again, or ask for a new reset or e-mail change, to get a new link.',
  ),
  ERR_DESK_CSRF: t(
    '這個表單已失效（可能開啟太久或來自其他網站），請重新開啟頁面後再送出。',
    'This form is no longer valid (open too long, or sent from another site). Open the page again and send it again.',
  ),
  ERR_DESK_RATE_LIMITED: t(
    '短時間內的嘗試次數過多，請稍候幾分鐘再試。',
    'Too many attempts in a short time. Please wait a few minutes and try again.',
  ),
  ERR_DESK_FILE_NOT_FOUND: t(
    '找不到這個檔案：它不屬於貴單位，或已超過保存期限而刪除。',
    'This file was not found: it does not belong to your unit, or its keeping period has ended.',
  ),
  ERR_DESK_KIND_UNKNOWN: t('請選擇申請的表單。', 'Choose the form to apply for.'),
};

export function deskAccountError(
  code: DeskAccountErrorCode,
  language: DeskLanguage,
  params: Record<string, string | number> = {},
): string {
  return DESK_ACCOUNT_ERRORS[code][language].replace(/\{(\w+)\}/g, (_, key: string) =>
    String(params[key] ?? ''),
  );
}

/** Every text the desk's pages and mails show. */
export const DESK_TEXT = {
  siteName: t('承保業務網路服務專區（測試）', 'E-service desk for insured units (TEST)'),
  skipToMain: t('跳到主要內容', 'Skip to main content'),
  mainNav: t('主選單', 'Main menu'),
  switchLanguage: t('English', '中文'),
  home: t('首頁', 'Home'),
  register: t('註冊', 'Register'),
  login: t('登入', 'Log in'),
  logout: t('登出', 'Log out'),
  account: t('帳號中心', 'Account centre'),
  forms: t('表單申請', 'Form applications'),
  progress: t('表單產生進度查詢及下載', 'Form progress and downloads'),
  testNotice: t(
    '本網站為卡橋參考入口網站的測試版，所有資料均為測試資料。',
    'This is the CardBridge reference portal for testing; all data is TEST data.',
  ),
  homeIntro: t(
    '投保單位經辦人可在此申請補寄繳款單及各類明細表、申請自動寄發，並下載產生的檔案。第一次使用請先以健保卡號註冊。',
    'Clerks of insured units can ask here for slips and statements to be sent again or automatically, and download the files made. First-time users register with their NHI card number.',
  ),
  loggedInAs: t('目前登入：投保單位 {unit}，經辦人 {id}', 'Logged in: unit {unit}, clerk {id}'),
  unitCode: t('投保單位代號', 'Insured unit code'),
  unitCodeHint: t('健保署核發的投保單位代號。', 'The insured unit code issued by the NHIA.'),
  idNumber: t('經辦人身分證號', "Clerk's ID number"),
  idNumberHint: t('1 個英文字母加 9 位數字，例如 A123456789。', 'One letter and 9 digits, e.g. A123456789.'),
  cardNumber: t('健保卡號', 'NHI card number'),
  cardNumberHint: t('健保卡正面左下角的 12 位數字。', 'The 12 digits bottom-left on the front of the card.'),
  email: t('E-mail', 'E-mail'),
  password: t('密碼', 'Password'),
  passwordAgain: t('再輸入一次密碼', 'Password again'),
  passwordHint: t(
    '至少 {min} 個字元，不可使用常見密碼；建議用幾個不相關的詞組成的一句話。',
    'At least {min} characters, not a common password; a few unrelated words make a good one.',
  ),
  currentPassword: t('目前密碼', 'Current password'),
  newPassword: t('新密碼', 'New password'),
  newEmail: t('新的 E-mail', 'New e-mail'),
  captcha: t('驗證碼', 'Captcha'),
  captchaImageAlt: t('驗證碼圖片：請輸入圖中的字', 'Captcha picture: type the characters shown'),
  captchaAlternative: t(
    '看不清楚圖片？也可以改答這個問題：{question}',
    'Cannot read the picture? Answer this question instead: {question}',
  ),
  captchaHint: t('數分鐘內有效，只能使用一次。', 'Valid for a few minutes, once.'),
  submitRegister: t('送出註冊', 'Register'),
  registeredTitle: t('註冊申請已送出', 'Registration sent'),
  registeredBody: t(
    '您已完成申請將在數分鐘後收到E-mail確認信，請閱啓確認信中的連結啟用帳號。',
    'Your application is complete. A confirmation e-mail will arrive within a few minutes; follow its link to activate the account.',
  ),
  activateTitle: t('啟用帳號', 'Activate the account'),
  activateIntro: t(
    '請按下方按鈕啟用帳號（連結只能使用一次）。',
    'Press the button below to activate the account (the link works once).',
  ),
  submitActivate: t('啟用帳號', 'Activate the account'),
  activatedTitle: t('帳號已啟用', 'Account activated'),
  activatedBody: t('帳號已啟用，現在可以登入。', 'The account is active; you can log in now.'),
  linkInvalidTitle: t('連結無效', 'Link not valid'),
  submitLogin: t('登入', 'Log in'),
  forgotPassword: t('忘記密碼', 'Forgot password'),
  resetTitle: t('重設密碼', 'Reset password'),
  resetIntro: t(
    '填入投保單位代號、身分證號及註冊時的 E-mail，我們會寄出重設密碼的連結。',
    'Enter the unit code, ID number and the e-mail you registered; we will send a link to reset the password.',
  ),
  submitResetRequest: t('寄出重設連結', 'Send the reset link'),
  resetSentBody: t(
    '如果資料與註冊的帳號相符，數分鐘內會收到重設密碼的 E-mail。',
    'If the details match an account, an e-mail with a reset link will arrive within a few minutes.',
  ),
  submitNewPassword: t('設定新密碼', 'Set the new password'),
  passwordChangedBody: t(
    '密碼已變更，請以新密碼登入。',
    'The password was changed; log in with the new one.',
  ),
  changeEmailTitle: t('變更 E-mail', 'Change e-mail'),
  changeEmailSent: t(
    '確認信已寄到新的 E-mail，點選其中的連結後才會生效。',
    'A confirmation was sent to the new address; the change takes effect when its link is followed.',
  ),
  emailConfirmIntro: t(
    '請按下方按鈕確認新的 E-mail（連結只能使用一次）。',
    'Press the button below to confirm the new e-mail address (the link works once).',
  ),
  submitEmailConfirm: t('確認新的 E-mail', 'Confirm the new e-mail'),
  emailChangedBody: t('E-mail 已變更。', 'The e-mail address was changed.'),
  changePasswordTitle: t('變更密碼', 'Change password'),
  passwordChangedHere: t('密碼已變更。', 'The password was changed.'),
  submitChange: t('送出變更', 'Save the change'),
  recentLogins: t('最近登入紀錄', 'Recent logins'),
  time: t('時間（臺北）', 'Time (Taipei)'),
  outcome: t('結果', 'Outcome'),
  clientAddress: t('來源位址', 'From address'),
  outcomeSuccess: t('成功', 'Success'),
  outcomeFailure: t('密碼錯誤', 'Wrong password'),
  outcomeLocked: t('暫停中被拒', 'Refused while paused'),
  currentEmail: t('目前 E-mail：{email}', 'Current e-mail: {email}'),
  resendTitle: t('申請補寄繳款單及各類明細表', 'Send slips and statements again'),
  autoSendTitle: t(
    '申請次期〈以後〉繳款單及各類明細表自動寄發',
    'Send the next and later slips and statements automatically',
  ),
  documents: t('文件', 'Documents'),
  docSlip: t('繳款單', 'Payment slip'),
  docDetail: t('保費明細表', 'Premium detail statement'),
  docSummary: t('員工保費計算彙總表', 'Employee premium summary'),
  fromMonth: t('起始年月', 'From month'),
  toMonth: t('結束年月', 'To month'),
  monthHint: t('格式 2026-11。', 'Form 2026-11.'),
  rulesHeading: t('申請規則', 'Rules'),
  ruleMax: t(
    '一次最多申請 {max} 個月；如需申請6個月以上，請分2次（含）以上申請。',
    'At most {max} months per request; split longer ranges into two or more requests.',
  ),
  ruleRange: t(
    '可申請期間：{earliest} 至 {latest}（前一年 1 月至本月）。',
    'Months you can request: {earliest} to {latest} (January of last year to this month).',
  ),
  ruleLatest: t(
    '最新一期繳款單及明細表約於每月 20 日起提供（雙月繳款單位為單月 20 日）；本月份於 {availableFrom} 起可申請。',
    "The latest slip and statements are available from about the 20th of each month (bi-monthly units: the 20th of odd months); this month's from {availableFrom}.",
  ),
  ruleAutoSend: t(
    '每月 5 日（含）以前申請，自當月繳款單起以 E-mail 寄送，不再寄紙本；5 日以後申請，自次月起。今天申請將自 {firstMonth} 起寄送。',
    "Applied for by the 5th (inclusive): sending by e-mail starts with that month's slip, with no more paper; after the 5th, with the next month's. Applying today starts with {firstMonth}.",
  ),
  submitResend: t('送出補寄申請', 'Apply'),
  submitAutoSend: t('送出自動寄發申請', 'Apply for automatic sending'),
  formSubmitted: t(
    '申請已送出，請到「表單產生進度查詢及下載」查看。',
    'The request was sent; see "Form progress and downloads".',
  ),
  keepDays: t(
    '產生的檔案保存 {days} 天，之後自動刪除；只有同一投保單位的帳號可以下載。',
    "Files are kept {days} days, then removed; only your unit's accounts can download them.",
  ),
  requestNo: t('申請編號', 'Request'),
  requestKind: t('表單', 'Form'),
  requestMonths: t('年月', 'Months'),
  requestState: t('狀態', 'State'),
  requestCreated: t('申請時間', 'Applied'),
  requestFiles: t('檔案', 'Files'),
  requestExpires: t('保存至', 'Kept until'),
  stateQueued: t('排隊中', 'Queued'),
  stateGenerating: t('產生中', 'Generating'),
  stateReady: t('可下載', 'Ready'),
  stateExpired: t('已過期刪除', 'Expired, removed'),
  stateFailed: t('產生失敗', 'Failed'),
  noRequests: t('目前沒有申請紀錄。', 'No requests yet.'),
  download: t('下載 {name}', 'Download {name}'),
  loggedOutBody: t('您已登出。', 'You are logged out.'),
  errorSummary: t(
    '送出的資料有問題，請依各欄位旁的說明修正：',
    'Some fields need correcting; see the note beside each:',
  ),
  mustLogIn: t('請先登入。', 'Please log in first.'),
  csrfTitle: t('表單已失效', 'Form expired'),
  notFoundTitle: t('找不到頁面', 'Page not found'),
  refusedTitle: t('無法處理這個要求', 'This request cannot be handled'),
  backHome: t('回首頁', 'Back to the home page'),
  mailActivateSubject: t('承保業務網路服務專區帳號啟用確認信', 'Activate your e-service desk account'),
  mailActivateBody: t(
    '您（投保單位 {unit}、經辦人 {id}）已申請承保業務網路服務專區帳號。請於 {hours} 小時內開啟下列連結啟用帳號（只能使用一次）：\n{link}\n若非您本人申請，請忽略本信。',
    'An e-service desk account was applied for (unit {unit}, clerk {id}). Open this link within {hours} hours to activate it (it works once):\n{link}\nIf this was not you, ignore this e-mail.',
  ),
  mailResetSubject: t('承保業務網路服務專區重設密碼', 'Reset your e-service desk password'),
  mailResetBody: t(
    '請於 {hours} 小時內開啟下列連結重設密碼（只能使用一次）：\n{link}\n若非您本人申請，請忽略本信，密碼不會變更。',
    'Open this link within {hours} hours to reset the password (it works once):\n{link}\nIf this was not you, ignore this e-mail; the password stays as it is.',
  ),
  mailEmailSubject: t('承保業務網路服務專區 E-mail 變更確認', 'Confirm your new e-service desk e-mail'),
  mailEmailBody: t(
    '請於 {hours} 小時內開啟下列連結，確認將帳號的 E-mail 變更為本信箱（只能使用一次）：\n{link}',
    "Open this link within {hours} hours to confirm this address as the account's e-mail (it works once):\n{link}",
  ),
} as const satisfies Record<string, Text>;
export type DeskTextKey = keyof typeof DESK_TEXT;

export function deskText(
  key: DeskTextKey,
  language: DeskLanguage,
  params: Record<string, string | number> = {},
): string {
  return DESK_TEXT[key][language].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
}
