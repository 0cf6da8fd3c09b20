/**
 * What the Windows installer installs and says about itself. The host goes to
 * %ProgramFiles%\CardBridge; the browsers' HKLM keys and manifests are written by the installed
 * host's own `install --scope system` (installers/registration), as the Linux packages do, so the
 * installer and the CLI can never disagree about where they go.
 */
export const PRODUCT_NAME = 'CardBridge (卡橋)';
export const PUBLISHER = 'CardBridge';
export const HOST_EXE = 'cardbridge-host.exe';
export const UNINSTALLER_EXE = 'uninstall.exe';
/** Under $PROGRAMFILES64 (the 64-bit Program Files). */
export const INSTALL_FOLDER = 'CardBridge';
/** The Add/Remove Programs entry (HKLM, 64-bit view). */
export const UNINSTALL_KEY = 'Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\CardBridge';
export const REGISTER_ARGS = 'install --scope system';
export const UNREGISTER_ARGS = 'uninstall --scope system';

export const installerFileName = (version: string) => `CardBridge-Setup-${version}.exe`;
