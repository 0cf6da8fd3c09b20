/** What every screen gets from the app: the API, the session and the ways to change it. */
import type { PortalReply } from '../../../shared/portal/api.ts';
import type { PortalApi } from './api.ts';
import type { ProofSteps } from './forms.ts';
import type { Route } from './router.ts';
import type { PortalSession } from './session.ts';
import type { ChosenCertificate } from '../../lib/uiProtocol.ts';

export interface PortalContext {
  api: PortalApi;
  /** The portal's origin (shown in the unreachable message). */
  portal: string;
  session: PortalSession | undefined;
  /** Card steps through the extension (the prompt window asks for the certificate and PIN). */
  steps: Omit<ProofSteps, 'onCardStep'>;
  /** The extension's portal-choose-certificate: a citizen certificate read from the card, public part only. */
  chooseCertificate: () => Promise<ChosenCertificate>;
  navigate: (route: Route) => void;
  loggedIn: (result: PortalReply<'login'>) => Promise<void>;
  /** Ends the session locally (after logout or cancellation) and shows the login, with a note if given. */
  loggedOut: (notice?: string) => Promise<void>;
  /** The portal no longer knows the session: back to the login with a note. */
  sessionLost: () => Promise<void>;
}
