/**
 * Where to apply for the certificate a task needs (the shared authority data): on the registration
 * page, and beside a refusal that says the clerk lacks the right certificate.
 */
import { AUTHORITIES } from '../../../shared/pki/authorities.ts';
import { localized, t } from '../../lib/i18n.ts';

export const UNIT_AUTHORITIES = ['MOEACA', 'GCA', 'XCA'] as const;
export const PERSON_AUTHORITIES = ['MOICA'] as const;

export function WhereToApply(props: { families: ReadonlyArray<keyof typeof AUTHORITIES>; open?: boolean }) {
  return (
    <details class="apply" data-where-to-apply open={props.open}>
      <summary>{t('portal_whereToApply')}</summary>
      <ul class="links">
        {props.families.map((family) => {
          const a = AUTHORITIES[family];
          return (
            <li key={family} data-authority={family}>
              <strong>{localized(a.certificate)}</strong>（{localized(a.name)}）：{localized(a.applyAt)}。{' '}
              <a href={a.site} target="_blank" rel="noopener noreferrer">
                {a.site.replace(/^https:\/\//, '')}
              </a>
              {a.phone && <> · {t('portal_phone', a.phone)}</>}
            </li>
          );
        })}
      </ul>
    </details>
  );
}
