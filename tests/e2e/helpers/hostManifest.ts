/** Registers the built host for a throw-away test browser, through the installers' registration module. */
import {
  chromiumProfileTarget,
  installHost,
  registrationContext,
  resolveTargets,
  type RegistrationTarget,
} from '../../../installers/registration/index.ts';
import { HOST_BIN } from '../../integration/helpers/hostProcess.ts';

const TEST_DESCRIPTION = 'CardBridge host (test profile)';

function register(targets: RegistrationTarget[]): void {
  installHost(targets, { hostPath: HOST_BIN, description: TEST_DESCRIPTION }, registrationContext('linux'));
}

/** Chromium started with --user-data-dir=profile reads the profile's own NativeMessagingHosts. */
export function registerHostForChromiumProfile(profile: string): void {
  register([chromiumProfileTarget(profile)]);
}

/** Firefox started with HOME=home reads ~/.mozilla/native-messaging-hosts. */
export function registerHostForFirefoxHome(home: string): void {
  register(resolveTargets('linux', 'user', ['firefox'], { home }).targets);
}
