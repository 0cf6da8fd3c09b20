/**
 * The packages' maintainer scripts: register the host after install, remove the registration
 * before removal. Both call the installed host itself (installers/registration inside it), so the
 * packages write exactly what `cardbridge-host install --scope system` writes and nothing else.
 */
import { REGISTER_COMMAND, UNREGISTER_COMMAND } from './packageInfo.ts';

/** A failed un-registration must not make the package impossible to remove: warn and go on. */
const unregister = `${UNREGISTER_COMMAND} || echo "cardbridge-host: could not remove the browser registration" >&2`;

export const DEB_POSTINST = `#!/bin/sh
set -e
if [ "$1" = configure ]; then
    ${REGISTER_COMMAND}
fi
exit 0
`;

/** upgrade too: the new version's postinst registers again (idempotent). */
export const DEB_PRERM = `#!/bin/sh
set -e
case "$1" in
    remove|upgrade|deconfigure)
        ${unregister}
        ;;
esac
exit 0
`;

/** rpm: %post runs on install and upgrade; %preun's $1 is 0 only when the package goes away. */
export const RPM_POST = REGISTER_COMMAND;
export const RPM_PREUN = `if [ "$1" = 0 ]; then
    ${unregister}
fi`;
