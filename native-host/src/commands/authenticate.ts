/**
 * `authenticate`: the web-eid:1.0 token, signature = Sign(H(H(origin) ‖ H(nonce))). The origin was
 * taken from the browser by the extension; the host checks its shape once more.
 */
import { createHash } from 'node:crypto';
import type { HostServices } from '../hostServices.ts';
import { defineCommand } from '../messaging/commandTypes.ts';
import { requireAllowedOrigin } from './requireOrigin.ts';
import { nodeHash } from '../tokens/digestInfo.ts';
import { algorithmName, authHashFor, schemeFor, signDigest } from '../tokens/signing.ts';
import { HOST_VERSION } from '../version.ts';

export const AUTH_TOKEN_FORMAT = 'web-eid:1.0';

export const authenticateCommand = (services: HostServices) =>
  defineCommand('authenticate', async (args) => {
    requireAllowedOrigin(services, args.origin);
    const tokens = await services.tokens();
    const certificate = await tokens.find(args.certificateId);
    const hash = authHashFor(certificate);
    const scheme = schemeFor(certificate);
    const h = (data: Buffer | string) => createHash(nodeHash(hash)).update(data).digest();
    const digest = h(
      Buffer.concat([h(Buffer.from(args.origin, 'utf8')), h(Buffer.from(args.challengeNonce, 'utf8'))]),
    );
    const signature = await signDigest(tokens, certificate, args.pin, scheme, hash, digest);
    services.logger.info(
      'auth',
      `authentication token made for ${args.origin} with a ${certificate.info.family} certificate`,
    );
    return {
      format: AUTH_TOKEN_FORMAT,
      unverifiedCertificate: certificate.certificate.toString('base64'),
      algorithm: algorithmName(scheme, hash),
      signature: signature.toString('base64'),
      appVersion: `cardbridge-host/${HOST_VERSION}`,
    };
  });
