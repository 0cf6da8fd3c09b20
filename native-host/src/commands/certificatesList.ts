/** `certificates.list`: every certificate in every token, classified, with what the prompt needs. */
import type { ListedCertificateResult } from '../../../shared/protocol/messages.ts';
import type { HostServices } from '../hostServices.ts';
import { defineCommand } from '../messaging/commandTypes.ts';
import type { ListedCertificate } from '../tokens/tokenService.ts';

export function toListedCertificateResult(
  c: ListedCertificate,
  readerOf: (slotDescription?: string) => string | undefined,
): ListedCertificateResult {
  const reader = readerOf(c.token.slotDescription);
  return {
    id: c.id,
    token: {
      kind: c.token.kind,
      source: c.token.source,
      label: c.token.label,
      serial: c.token.serial,
      ...(reader ? { reader } : {}),
    },
    certificate: c.certificate.toString('base64'),
    family: c.info.family,
    subject: c.info.subject,
    issuer: c.info.issuer,
    notBefore: c.info.notBefore.toISOString(),
    notAfter: c.info.notAfter.toISOString(),
    keyUsage: c.info.keyUsage,
    hasPrivateKey: c.hasPrivateKey,
    pinpad: c.token.pinpad,
  };
}

export const certificatesListCommand = (services: HostServices) =>
  defineCommand('certificates.list', async () => {
    const { certificates } = await (await services.tokens()).inventory();
    return {
      certificates: certificates.map((c) =>
        toListedCertificateResult(c, (slot) => services.readerOfSlot(slot)),
      ),
    };
  });
