/** `sign`: a raw signature over a document hash, or a detached CMS SignedData around one. */
import { hashLength } from '../../../shared/crypto/hashes.ts';
import { nodeDigest } from '../../../shared/node/crypto/nodeDigest.ts';
import { jwaName } from '../../../shared/crypto/signatureAlgorithms.ts';
import { HostError } from '../hostError.ts';
import type { HostServices } from '../hostServices.ts';
import { defineCommand } from '../messaging/commandTypes.ts';
import { requireAllowedOrigin } from './requireOrigin.ts';
import { schemeFor, signDigest } from '../tokens/signing.ts';

export const signCommand = (services: HostServices) =>
  defineCommand('sign', async (args) => {
    requireAllowedOrigin(services, args.origin);
    const documentHash = Buffer.from(args.hash, 'base64');
    const expectedLength = hashLength(args.hashFunction);
    if (documentHash.length !== expectedLength) {
      throw new HostError('ERR_BAD_REQUEST', `a ${args.hashFunction} hash is ${expectedLength} bytes`, {
        reason: 'hash length does not match hashFunction',
      });
    }
    const tokens = await services.tokens();
    const certificate = await tokens.find(args.certificateId);
    const scheme = schemeFor(certificate, args.padding);
    const algorithm = jwaName(scheme, args.hashFunction);

    if (args.format === 'raw') {
      const signature = await signDigest(
        tokens,
        certificate,
        args.pin,
        scheme,
        args.hashFunction,
        documentHash,
      );
      services.logger.info('sign', `raw ${algorithm} signature for ${args.origin}`);
      return { signature: signature.toString('base64'), algorithm };
    }

    // The CMS code is loaded only when a CMS signature is asked for.
    const { assembleSignedData, signedAttributes } = await import('../../../shared/node/cms/buildCms.ts');
    const request = {
      certificate: certificate.certificate,
      hash: args.hashFunction,
      messageDigest: documentHash,
      signingTime: new Date(),
    };
    const { attrs, toBeSigned } = signedAttributes(request);
    const digest = Buffer.from(await nodeDigest(args.hashFunction, new Uint8Array(toBeSigned)));
    const signature = await signDigest(tokens, certificate, args.pin, scheme, args.hashFunction, digest);
    services.logger.info('sign', `CMS ${algorithm} signature for ${args.origin}`);
    return { cms: assembleSignedData(request, attrs, scheme, signature).toString('base64'), algorithm };
  });
