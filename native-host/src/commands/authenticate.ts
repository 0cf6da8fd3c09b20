/**
 * `authenticate`: the web-eid:1.0 token, signature = Sign(H(H(origin) ‖ H(nonce))). The origin was
 * taken from the browser by the extension; the host checks its shape once more.
 */
import { loginBinding } from '../../../shared/authtoken/loginBinding.ts';
import { AUTH_TOKEN_FORMAT } from '../../../shared/authtoken/token.ts';
import { jwaName } from '../../../shared/crypto/signatureAlgorithms.ts';
import type { HostServices } from '../hostServices.ts';
import { defineCommand } from '../messaging/commandTypes.ts';
import { requireAllowedOrigin } from './requireOrigin.ts';
import { authHashFor, schemeFor, signDigest } from '../tokens/signing.ts';
import { HOST_VERSION } from '../version.ts';
import { nodeDigest } from '../../../shared/node/crypto/nodeDigest.ts';

export const authenticateCommand = (services: HostServices) =>
  defineCommand('authenticate', async (args) => {
    requireAllowedOrigin(services, args.origin);
    const tokens = await services.tokens();
    const certificate = await tokens.find(args.certificateId);
    const hash = authHashFor(certificate);
    const scheme = schemeFor(certificate);
    const digest = Buffer.from(await loginBinding(args.origin, args.challengeNonce, hash, nodeDigest));
    const signature = await signDigest(tokens, certificate, args.pin, scheme, hash, digest);
    services.logger.info(
      'auth',
      `authentication token made for ${args.origin} with a ${certificate.info.family} certificate`,
    );
    return {
      format: AUTH_TOKEN_FORMAT,
      unverifiedCertificate: certificate.certificate.toString('base64'),
      algorithm: jwaName(scheme, hash),
      signature: signature.toString('base64'),
      appVersion: `cardbridge-host/${HOST_VERSION}`,
    };
  });
