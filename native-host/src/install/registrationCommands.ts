/**
 * The words that make the host a registration CLI. Apart from the options (./registrationOptions.ts)
 * so that a browser's start, which only asks "is this one of them?", loads none of the installers' code.
 */
export const REGISTRATION_COMMANDS = ['install', 'uninstall', 'status'] as const;
export type RegistrationCommand = (typeof REGISTRATION_COMMANDS)[number];

export function isRegistrationCommand(word: string | undefined): word is RegistrationCommand {
  return (REGISTRATION_COMMANDS as readonly string[]).includes(word ?? '');
}
