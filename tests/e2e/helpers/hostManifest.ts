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

/** `hostPath`: another executable in the host's place (a wrapper that records the frames). */
function register(targets: RegistrationTarget[], hostPath = HOST_BIN): void {
  installHost(targets, { hostPath, description: TEST_DESCRIPTION }, registrationContext('linux'));
}

/** Chromium started with --user-data-dir=profile reads the profile's own NativeMessagingHosts. */
export function registerHostForChromiumProfile(profile: string, hostPath?: string): void {
  register([chromiumProfileTarget(profile)], hostPath);
}

/** Firefox started with HOME=home reads ~/.mozilla/native-messaging-hosts. */
export function registerHostForFirefoxHome(home: string, hostPath?: string): void {
  register(resolveTargets('linux', 'user', ['firefox'], { home }).targets, hostPath);
}
