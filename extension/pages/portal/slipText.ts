/** How the slip pages write periods and dates: ROC style in Chinese, Gregorian in English (shared/tw). */
import { currentLanguage } from '../../lib/i18n.ts';
import { formatClerkDate } from '../../../shared/tw/clerkDate.ts';
import { rocDisplayMonth } from '../../../shared/tw/rocDate.ts';
import type { SlipPeriodView } from '../../../shared/portal/slipsApi.ts';

const chinese = () => currentLanguage() === 'zh_TW';

export const clerkDate = (iso: string): string =>
  formatClerkDate(iso.slice(0, 10), chinese() ? 'roc' : 'gregorian');

export const periodMonths = (period: SlipPeriodView): string =>
  period.months
    .map((m) => (chinese() ? rocDisplayMonth(m) : m.replace('-', '/')))
    .join(chinese() ? '、' : ', ');
