/**
 * All certificate tokens the host can use: one PKCS#11 worker per module and the PKCS#12 files.
 * A provider that fails (module missing, crashed, file unreadable) is reported in `status` and
 * skipped; the others keep working. Certificate ids are stable: a hash of the token and certificate.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { curveFromNodeName, type CurveName } from '../../../shared/crypto/signatureAlgorithms.ts';
import { describeCertificate, type CertificateInfo } from '../../../shared/pki/certificateInfo.ts';
import { HostError } from '../hostError.ts';
import type { Logger } from '../log/logger.ts';
import { Pkcs11WorkerClient, type WorkerClientOptions } from './pkcs11/workerClient.ts';
import { Pkcs12Token } from './pkcs12/pkcs12Token.ts';
import type { SignInput, TokenCertificate, TokenInfo, TokenProvider } from './types.ts';

export interface ListedCertificate extends TokenCertificate {
  id: string;
  info: CertificateInfo;
  /** RSA, or the EC curve. */
  key: { type: 'RSA' } | { type: 'EC'; curve: CurveName } | { type: 'OTHER' };
}

export interface ProviderStatus {
  kind: 'pkcs11' | 'pkcs12';
  source: string;
  error?: string;
  tokens: TokenInfo[];
}

export interface Inventory {
  providers: ProviderStatus[];
  certificates: ListedCertificate[];
}

export function certificateId(token: TokenInfo, keyId: string, der: Buffer): string {
  return createHash('sha256')
    .update(`${token.kind}\0${token.source}\0${token.serial}\0${keyId}\0`)
    .update(der)
    .digest('hex')
    .slice(0, 32);
}

function keyOf(der: Buffer): ListedCertificate['key'] {
  const key = new X509Certificate(der).publicKey;
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') return { type: 'RSA' };
  const curve = curveFromNodeName(key.asymmetricKeyDetails?.namedCurve);
  return key.asymmetricKeyType === 'ec' && curve ? { type: 'EC', curve } : { type: 'OTHER' };
}

export interface TokenServiceOptions {
  logger: Logger;
  pkcs11Modules: readonly string[];
  pkcs12Files: readonly string[];
  worker?: Omit<WorkerClientOptions, 'logger'>;
}

export class TokenService {
  private readonly providers: Array<{
    kind: 'pkcs11' | 'pkcs12';
    source: string;
    provider?: TokenProvider;
    error?: string;
  }>;

  private lastInventory: Inventory | undefined;
  /** Parsed certificate details by DER hash: parsing is pure, and listings repeat. */
  private readonly described = new Map<string, Pick<ListedCertificate, 'info' | 'key'>>();

  constructor(private readonly options: TokenServiceOptions) {
    this.providers = [
      ...options.pkcs11Modules.map((source) => ({
        kind: 'pkcs11' as const,
        source,
        provider: new Pkcs11WorkerClient(source, {
          logger: options.logger,
          ...options.worker,
        }),
      })),
      ...options.pkcs12Files.map((source) => {
        try {
          return { kind: 'pkcs12' as const, source, provider: new Pkcs12Token(source) };
        } catch (error) {
          return { kind: 'pkcs12' as const, source, error: (error as Error).message };
        }
      }),
    ];
  }

  private describe(der: Buffer): Pick<ListedCertificate, 'info' | 'key'> {
    const hash = createHash('sha256').update(der).digest('hex');
    let entry = this.described.get(hash);
    if (!entry) {
      entry = { info: describeCertificate(der), key: keyOf(der) };
      this.described.set(hash, entry);
    }
    return entry;
  }

  get configured(): boolean {
    return this.providers.length > 0;
  }

  async inventory(): Promise<Inventory> {
    const results = await Promise.all(
      this.providers.map(
        async (p): Promise<{ status: ProviderStatus; certificates: ListedCertificate[] }> => {
          if (!p.provider)
            return {
              status: { kind: p.kind, source: p.source, error: p.error, tokens: [] },
              certificates: [],
            };
          try {
            const listed = await p.provider.list();
            const certificates: ListedCertificate[] = [];
            for (const c of listed.certificates) {
              try {
                certificates.push({
                  ...c,
                  id: certificateId(c.token, c.keyId, c.certificate),
                  ...this.describe(c.certificate),
                });
              } catch (error) {
                this.options.logger.warn(
                  'tokens',
                  `unreadable certificate in ${c.token.label}: ${(error as Error).message}`,
                );
              }
            }
            return { status: { kind: p.kind, source: p.source, tokens: listed.tokens }, certificates };
          } catch (error) {
            const reason =
              error instanceof HostError ? (error.reason ?? error.code) : (error as Error).message;
            this.options.logger.warn('tokens', `${p.source}: ${reason}`);
            return {
              status: { kind: p.kind, source: p.source, error: reason, tokens: [] },
              certificates: [],
            };
          }
        },
      ),
    );
    const inventory = {
      providers: results.map((r) => r.status),
      certificates: results.flatMap((r) => r.certificates),
    };
    this.lastInventory = inventory;
    return inventory;
  }

  /**
   * The certificate with this id. Ids are hashes of token and certificate, so a listing already made
   * still names the right key; only an id it lacks makes the host list the tokens again. A token
   * pulled out since then fails at signing with its own error.
   */
  async find(certificateIdValue: string): Promise<ListedCertificate> {
    const known = this.lastInventory?.certificates.find((c) => c.id === certificateIdValue);
    if (known) return known;
    const { certificates } = await this.inventory();
    const found = certificates.find((c) => c.id === certificateIdValue);
    // The id is not repeated: it comes from the request, and the error is logged.
    if (!found) throw new HostError('ERR_CERTIFICATE_NOT_FOUND', 'no certificate with that id');
    return found;
  }

  /** Not async: the provider's promise is handed on as it is, with no extra microtask hops. */
  sign(certificate: ListedCertificate, pin: string | undefined, input: SignInput): Promise<Buffer> {
    const entry = this.providers.find(
      (p) => p.source === certificate.token.source && p.kind === certificate.token.kind,
    );
    if (!entry?.provider)
      return Promise.reject(
        new HostError('ERR_TOKEN_UNAVAILABLE', `${certificate.token.source} is not available`),
      );
    if (certificate.token.pinpad && pin !== undefined) {
      return Promise.reject(
        new HostError('ERR_BAD_REQUEST', 'this token takes its PIN on the reader: send no PIN'),
      );
    }
    return entry.provider.sign(certificate.token, certificate.keyId, pin, input);
  }

  async close(): Promise<void> {
    await Promise.all(this.providers.map((p) => p.provider?.close() ?? Promise.resolve()));
  }
}
