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
