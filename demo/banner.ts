/**
 * What `npm start` prints once the system is up: the portal's addresses and the demo identities with
 * their PINs. It names the lab's NHI card only when the lab's card is the one in use.
 */
import { DEMO_NHI_CARD } from '../lab/cards/nhiCardApplet.ts';
import { TEST_IDENTITIES } from '../lab/pki/testPki.ts';
import type { LabToken } from '../lab/softhsm.ts';
import type { CardSource } from './cardSource.ts';

export function demoBanner(portalOrigin: string, cards: CardSource, tokens: readonly LabToken[]): string[] {
  const card = DEMO_NHI_CARD;
  const nhiCard =
    cards === 'lab'
      ? [
          `健保卡 / NHI card (虛擬 / virtual): ${card.name} ${card.cardNumber} — 首次使用請設定網路密碼 / set its web password on first use`,
        ]
      : [
          '健保卡 / NHI card: 請將健保卡插入這台電腦的讀卡機 / insert an NHI card into a reader of this computer',
          '改用虛擬健保卡 / to use the virtual NHI card instead: npm start -- --lab-cards',
        ];
  return [
    `入口網站 / portal: ${portalOrigin} (API ${portalOrigin}/openapi.json, 郵件 / mails ${portalOrigin}/dev/outbox)`,
    ...nhiCard,
    ...tokens.map((t) => `憑證卡 / token "${t.label}": PIN ${t.pin}`),
    `單位 / unit: ${TEST_IDENTITIES.company.name}, 統一編號 / UBN ${TEST_IDENTITIES.company.ubn}`,
    '按 Ctrl-C 結束 / Press Ctrl-C to stop.',
  ];
}
