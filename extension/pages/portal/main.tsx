/**
 * The bundled portal pages: registration, login, clerks, home and cancellation against the reference
 * portal (portal/API.md) at the configured portal address. Card steps go through the extension's
 * prompt window; the page never sees a PIN. The session token lives in browser.storage.session.
 */
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { initI18n, t } from '../../lib/i18n.ts';
import { ui } from '../../lib/uiClient.ts';
import type { ChosenCertificate, SettingsView } from '../../lib/uiProtocol.ts';
import type { CertificateProof, PortalReply } from '../../../shared/portal/api.ts';
import { createPortalApi } from './api.ts';
import { Batch } from './Batch.tsx';
import { Cancel } from './Cancel.tsx';
import { Clerks } from './Clerks.tsx';
import { Downloads } from './Downloads.tsx';
import type { PortalContext } from './context.ts';
import { describeFailure, type NhiCardAnswer } from './forms.ts';
import { History } from './History.tsx';
import { Filings } from './Filings.tsx';
import { Home } from './Home.tsx';
import { Login } from './Login.tsx';
import { Register } from './Register.tsx';
import { Roster } from './Roster.tsx';
import { Slips } from './Slips.tsx';
import { landingRoute, parseRoute, resolveRoute, routeHash, type Route } from './router.ts';
import { clearSession, loadSession, saveSession, sessionToken, type PortalSession } from './session.ts';
import { ErrorAlert } from './ui.tsx';

function Portal({ portal, initial }: { portal: string; initial: PortalSession | undefined }) {
  const [session, setSession] = useState<PortalSession | undefined>(initial);
  const [requested, setRequested] = useState<Route | undefined>(parseRoute(location.hash));
  const [notice, setNotice] = useState<string | undefined>();

  useEffect(() => {
    const onHash = () => {
      const next = parseRoute(location.hash);
      if (next !== 'login') setNotice(undefined);
      setRequested(next);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const route = resolveRoute(requested, session?.role);
  useEffect(() => {
    // Keep the address bar on the screen shown (a guarded route was replaced).
    if (location.hash !== routeHash(route)) history.replaceState(null, '', routeHash(route));
  }, [route]);

  const ctx = useMemo<PortalContext>(() => {
    const api = createPortalApi({ base: portal, token: () => sessionToken(portal) });
    const navigate = (next: Route) => {
      setRequested(next);
      if (location.hash !== routeHash(next)) location.hash = routeHash(next);
    };
    const loggedOut = async (message?: string) => {
      await clearSession();
      setSession(undefined);
      navigate('login');
      setNotice(message);
    };
    return {
      api,
      portal,
      session,
      steps: {
        nonce: () => api.nonce(),
        authenticate: (nonce, purpose) =>
          ui<CertificateProof['token']>({ command: 'portal-authenticate', nonce, purpose }),
        nhiAuthenticate: (nonce, purpose) =>
          ui<NhiCardAnswer>({ command: 'portal-nhi-authenticate', nonce, purpose }),
      },
      chooseCertificate: () => ui<ChosenCertificate>({ command: 'portal-choose-certificate' }),
      navigate,
      loggedIn: async (result: PortalReply<'login'>) => {
        const next: PortalSession = {
          portal,
          token: result.sessionToken,
          expiresAt: result.expiresAt,
          role: result.role,
          unit: result.unit,
          subject: result.subject,
        };
        await saveSession(next);
        setSession(next);
        setNotice(undefined);
        navigate(landingRoute(result.role));
      },
      loggedOut,
      sessionLost: () => loggedOut('ERR_PORTAL_SESSION_EXPIRED'),
    };
  }, [portal, session]);

  return (
    <>
      {route === 'login' && <Login key="login" ctx={ctx} notice={notice} />}
      {route === 'register' && <Register key="register" ctx={ctx} />}
      {route === 'home' && <Home key="home" ctx={ctx} />}
      {route === 'clerks' && <Clerks key="clerks" ctx={ctx} />}
      {route === 'cancel' && <Cancel key="cancel" ctx={ctx} />}
      {route === 'roster' && <Roster key="roster" ctx={ctx} />}
      {route === 'history' && <History key="history" ctx={ctx} />}
      {route === 'slips' && <Slips key="slips" ctx={ctx} />}
      {route === 'downloads' && <Downloads key="downloads" ctx={ctx} />}
      {route === 'filings' && <Filings key="filings" ctx={ctx} />}
      {route === 'batch' && <Batch key="batch" ctx={ctx} />}
      <footer class="portal-address">
        <p>{t('portal_portalAddress', portal)}</p>
      </footer>
    </>
  );
}

function App() {
  const [start, setStart] = useState<{ portal: string; session: PortalSession | undefined } | undefined>();
  const [failed, setFailed] = useState<unknown>();
  useEffect(() => {
    document.title = t('portal_documentTitle', t('portal_loading'));
    void (async () => {
      const settings = await ui<SettingsView>({ command: 'settings' });
      const portal = settings.effectivePortalAddress.replace(/\/+$/, '');
      setStart({ portal, session: await loadSession(portal) });
    })().catch(setFailed);
  }, []);
  if (failed) return <ErrorAlert failure={describeFailure(failed, [], '')} />;
  if (!start) return <p role="status">{t('portal_loading')}</p>;
  return <Portal portal={start.portal} initial={start.session} />;
}

void initI18n().then(() => render(<App />, document.getElementById('app')!));
