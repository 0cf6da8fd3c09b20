/** 首頁: who is logged in for which unit; the unit's ways to its clerks and to cancelling; logout. */
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../lib/i18n.ts';
import type { PortalContext } from './context.ts';
import { ErrorAlert, Screen, Status, useSend } from './ui.tsx';
import type { PortalReply } from '../../../shared/portal/api.ts';

export function Home({ ctx }: { ctx: PortalContext }) {
  const [home, setHome] = useState<PortalReply<'home'> | undefined>();
  const loader = useSend(ctx.portal, () => [], ctx.sessionLost);
  const leaver = useSend(ctx.portal, () => []);

  useEffect(() => {
    void loader.run(async () => {
      loader.setProgress(t('portal_loading'));
      setHome(await ctx.api.home());
    });
  }, []);

  const logout = () =>
    void leaver.run(async () => {
      leaver.setProgress(t('portal_loggingOut'));
      try {
        await ctx.api.logout();
      } finally {
        // Logged out here whatever the portal said: the token is forgotten.
        await ctx.loggedOut('portal_loggedOut');
      }
    });

  const unit = home?.unit ?? ctx.session?.unit;
  const subject = home?.subject ?? ctx.session?.subject;
  const role = home?.role ?? ctx.session?.role;
  return (
    <Screen name="home" title={t('portal_homeTitle')}>
      <ErrorAlert failure={loader.failure} />
      <Status text={loader.progress} />
      {unit && subject && role && (
        <>
          <p>{t('portal_welcome', subject.name)}</p>
          <dl class="facts" data-role={role}>
            <dt>{t('portal_unitName')}</dt>
            <dd data-unit-name>{unit.name}</dd>
            <dt>{t('portal_unitCode')}</dt>
            <dd data-unit-code>{unit.code}</dd>
            <dt>{t('portal_loginRole')}</dt>
            <dd>{t(role === 'unit' ? 'portal_roleUnit' : 'portal_roleClerk')}</dd>
            <dt>{t('portal_loggedInAs')}</dt>
            <dd data-subject>
              {t(
                subject.kind === 'certificate' ? 'portal_subjectCertificate' : 'portal_subjectNhi',
                subject.name,
                subject.credential,
              )}
            </dd>
            {home && role === 'unit' && (
              <>
                <dt>{t('portal_activeClerks')}</dt>
                <dd>{home.clerkCount}</dd>
              </>
            )}
          </dl>
          <nav aria-label={t('portal_queriesNavLabel')}>
            <ul class="links">
              <li>
                <a href="#/roster">{t('portal_goRoster')}</a>
              </li>
              <li>
                <a href="#/history">{t('portal_goHistory')}</a>
              </li>
            </ul>
          </nav>
          <nav aria-label={t('portal_navLabel')}>
            <ul class="links">
              <li>
                <a href="#/slips">{t('portal_goSlips')}</a>
              </li>
              <li>
                <a href="#/downloads">{t('portal_goDownloads')}</a>
              </li>
              {role === 'unit' && (
                <>
                  <li>
                    <a href="#/clerks">{t('portal_goClerks')}</a>
                  </li>
                  <li>
                    <a href="#/cancel">{t('portal_goCancel')}</a>
                  </li>
                </>
              )}
            </ul>
          </nav>
          {role === 'clerk' && (
            <nav aria-label={t('portal_navLabel')}>
              <ul class="links">
                <li>
                  <a href="#/filings" data-action="go-filings">
                    {t('portal_goFilings')}
                  </a>
                </li>
                <li>
                  <a href="#/batch">{t('portal_goBatch')}</a>
                </li>
              </ul>
            </nav>
          )}
        </>
      )}
      <ErrorAlert failure={leaver.failure} />
      <Status text={leaver.progress} />
      <div class="actions">
        <button type="button" data-action="logout" onClick={logout}>
          {t('portal_logout')}
        </button>
      </div>
    </Screen>
  );
}
