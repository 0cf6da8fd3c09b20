/**
 * The closed list of host-registration errors, each with a zh-TW and an English message for the
 * IT staff or clerk running `cardbridge-host install`. Add new codes at the end; never reuse one.
 */
import type { LocalizedText } from '../../shared/protocol/errors.ts';

export const REGISTRATION_ERROR_CODES = [
  'ERR_REGISTRATION_NO_RIGHTS',
  'ERR_REGISTRATION_UNKNOWN_BROWSER',
  'ERR_REGISTRATION_UNKNOWN_SCOPE',
  'ERR_REGISTRATION_UNSUPPORTED_OS',
  'ERR_REGISTRATION_FAILED',
] as const;

export type RegistrationErrorCode = (typeof REGISTRATION_ERROR_CODES)[number];

export const REGISTRATION_ERROR_MESSAGES: Readonly<Record<RegistrationErrorCode, LocalizedText>> = {
  ERR_REGISTRATION_NO_RIGHTS: {
    'zh-TW':
      '沒有權限為這台電腦的所有使用者登錄卡橋元件：請以系統管理員身分（Windows）或 sudo（macOS、Linux）執行，或改用 --scope user 只登錄給自己。',
    en: 'No permission to register the CardBridge component for every user of this computer: run it as administrator (Windows) or with sudo (macOS, Linux), or use --scope user to register it for yourself only.',
  },
  ERR_REGISTRATION_UNKNOWN_BROWSER: {
    'zh-TW': '不認得這個瀏覽器名稱；可用的名稱：chrome、edge、chromium、firefox、brave。',
    en: 'Unknown browser name; the names are: chrome, edge, chromium, firefox, brave.',
  },
  ERR_REGISTRATION_UNKNOWN_SCOPE: {
    'zh-TW': '登錄範圍只能是 user（自己）或 system（所有使用者）。',
    en: 'The scope is either user (yourself) or system (every user).',
  },
  ERR_REGISTRATION_UNSUPPORTED_OS: {
    'zh-TW': '卡橋元件只能在 Windows、macOS 與 Linux 上登錄。',
    en: 'The CardBridge component can be registered on Windows, macOS and Linux only.',
  },
  ERR_REGISTRATION_FAILED: {
    'zh-TW': '無法寫入或移除瀏覽器的卡橋元件登錄資料；詳細原因如下。',
    en: "The browser's registration of the CardBridge component could not be written or removed; details follow.",
  },
};

export class RegistrationError extends Error {
  constructor(
    readonly code: RegistrationErrorCode,
    /** What was refused: a path, a registry key, a browser name (never a secret). */
    readonly detail: string,
  ) {
    super(`${code}: ${REGISTRATION_ERROR_MESSAGES[code].en} (${detail})`);
    this.name = 'RegistrationError';
  }
}

export function isRegistrationError(error: unknown): error is RegistrationError {
  return error instanceof RegistrationError;
}
