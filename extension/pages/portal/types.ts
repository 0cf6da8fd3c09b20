/** The portal API's bodies as the pages use them (portal/API.md, portal/src/schemas.ts). */
import type { AuthTokenResult } from '../../page-api/index.ts';

export type Role = 'unit' | 'clerk';
export type ProofMethod = 'certificate' | 'nhi-card';

export interface UnitView {
  code: string;
  name: string;
  ubn?: string;
  organizationId?: string;
}

export interface SubjectView {
  kind: ProofMethod;
  name: string;
  /** Masked: certificate serial or card number. */
  credential: string;
}

export interface RegistrationView {
  id: string;
  method: ProofMethod;
  credential: string;
  contactEmail: string;
  status: 'active' | 'cancelled';
  createdAt: string;
}

export interface Clerk {
  id: string;
  kind: ProofMethod;
  displayName: string;
  /** Masked card number or certificate serial. */
  credential: string;
  idLast4?: string;
  email?: string;
  status: 'active' | 'revoked';
  createdAt: string;
  revokedAt?: string;
}

export interface CertificateProof {
  kind: 'certificate';
  nonce: string;
  token: AuthTokenResult;
}

export interface NhiCardProof {
  kind: 'nhi-card';
  nonce: string;
  cardNumber: string;
  response: string;
  password: string;
}

export type Proof = CertificateProof | NhiCardProof;

export interface NonceResult {
  nonce: string;
  expiresAt: string;
}

export interface RegisterBody {
  proof: Proof;
  unitCode?: string;
  email?: string;
}

export interface RegistrationResult {
  unit: UnitView;
  registration: RegistrationView;
}

export interface LoginBody {
  role: Role;
  proof: Proof;
  unitCode?: string;
}

export interface LoginResult {
  sessionToken: string;
  expiresAt: string;
  role: Role;
  unit: UnitView;
  subject: SubjectView;
}

export interface SessionResult {
  role: Role;
  unit: UnitView;
  subject: SubjectView;
  expiresAt: string;
}

export interface HomeResult {
  unit: UnitView;
  role: Role;
  subject: SubjectView;
  clerkCount: number;
}

export interface ClerkList {
  clerks: Clerk[];
  limit: number;
}

export type AddClerkBody =
  | { kind: 'certificate'; certificate: string; email?: string }
  | { kind: 'nhi-card'; cardNumber: string; idNumber: string; name: string; email?: string };

/** What the extension's portal-nhi-authenticate gives back (the card's answer to the challenge). */
export interface NhiCardAnswer {
  reader?: string;
  cardNumber: string;
  response: string;
}
