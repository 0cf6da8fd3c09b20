/**
 * The portal's tables, typed for Kysely. Times are ISO-8601 UTC strings (`toISOString()`, fixed
 * width, so they compare correctly as text on SQLite and PostgreSQL alike); ids are random UUIDs, or creation-ordered ids where order matters
 * (clerks, audit).
 */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Insured units (投保單位): stands for NHI's own records; seeded, never created through the API. */
export interface UnitTable {
  id: string;
  unit_code: string;
  name: string;
  /** MOEACA units: 統一編號. */
  ubn: string | null;
  /** GCA / XCA units: organisation id. */
  organization_id: string | null;
  responsible_id: string;
  responsible_name: string;
  contact_email: string;
  created_at: string;
  /** Monthly or bi-monthly premium slips (shared/billing/slipSchedule.ts). */
  billing_cycle: Generated<'monthly' | 'bimonthly'>;
}

export interface RegistrationTable {
  id: string;
  unit_id: string;
  method: 'certificate' | 'nhi-card';
  /** Masked credential: certificate serial or card number. */
  credential: string;
  contact_email: string;
  status: 'active' | 'cancelled';
  created_at: string;
  cancelled_at: string | null;
}

export interface ClerkTable {
  /** Sortable by creation (services/ids.ts). */
  id: string;
  unit_id: string;
  kind: 'certificate' | 'nhi-card';
  /** Match key: SHA-256 (hex) of the certificate DER, or the 12-digit card number. */
  credential_key: string;
  /** Shown masked: certificate serial, or masked card number. */
  credential_label: string;
  display_name: string;
  id_last4: string | null;
  email: string | null;
  status: 'active' | 'revoked';
  created_at: string;
  revoked_at: string | null;
}

/** NHI card registry: stands for NHI's card database (card number → holder), plus the web password. */
export interface NhiCardTable {
  card_number: string;
  holder_id: string;
  holder_name: string;
  /** `scrypt$<salt b64>$<hash b64>`, null until the holder registers the card. */
  password_hash: string | null;
  password_set_at: string | null;
  /** Wrong passwords in a row (reset by a right one). */
  failed_password_attempts: Generated<number>;
  /** While in the future, the password is refused whatever it is. */
  password_locked_until: string | null;
}

export interface NonceTable {
  nonce: string;
  expires_at: string;
  consumed_at: string | null;
  created_at: string;
}

export interface SessionTable {
  /** SHA-256 (hex) of the bearer token; the token itself is never stored. */
  token_hash: string;
  role: 'unit' | 'clerk';
  unit_id: string;
  clerk_id: string | null;
  subject_name: string;
  subject_kind: 'certificate' | 'nhi-card';
  subject_credential: string;
  created_at: string;
  expires_at: string;
  ended_at: string | null;
}

export interface AuditTable {
  /** Sortable by creation (services/ids.ts). */
  id: string;
  at: string;
  event: string;
  outcome: 'success' | 'refused';
  error_code: string | null;
  /** Masked: never a full ID number or card number. */
  subject: string | null;
  unit_code: string | null;
  client_ip: string | null;
  detail: string | null;
}

/** Mails waiting for, or done with, delivery (mail/mailQueue.ts). */
export interface MailOutboxTable {
  /** Sortable by creation (services/ids.ts); also the mail's Message-ID. */
  id: string;
  event: string;
  recipient: string;
  subject: string;
  body: string;
  created_at: string;
  attempts: Generated<number>;
  /** A sender is working on it until then; afterwards anyone may (again). */
  claimed_until: string | null;
  sent_at: string | null;
  last_error: string | null;
}

/** A rate-limit counter shared by every portal process (http/rateLimitStore.ts). */
export interface RateLimitTable {
  key: string;
  hits: number;
  /** Milliseconds since 1970; PostgreSQL's bigint arrives as a string. */
  window_ends: ColumnType<string | number, number, number>;
}

/** A signed submission: one filing or a batch (issue 10). Bytes, signature and signer are kept for good. */
export interface SubmissionTable {
  /** Sortable by creation (services/ids.ts). */
  id: string;
  /** 受理編號. */
  receipt_no: string;
  unit_id: string;
  clerk_id: string;
  signer_kind: 'certificate' | 'nhi-card';
  signer_label: string;
  /** Canonical bytes (shared/filings/canonical.ts) as UTF-8 text. */
  content: string;
  content_sha256: string;
  signature_format: 'cms' | 'nhi-card';
  signature: string;
  submitted_at: string;
  received_at: string;
  filing_count: number;
  state: 'received' | 'processed';
  accepted_count: Generated<number>;
  rejected_count: Generated<number>;
  processed_at: string | null;
  claimed_until: string | null;
}

export interface FilingTable {
  id: string;
  submission_id: string;
  /** Position in the submission, from 1. */
  seq: number;
  unit_id: string;
  kind: 'enrol' | 'withdraw' | 'dependant-enrol' | 'dependant-withdraw' | 'amount-change' | 'correction';
  id_number: string;
  person_name: string | null;
  effective_date: string | null;
  /** JSON of the shared Filing. */
  data: string;
  state: 'received' | 'accepted' | 'rejected';
  /** JSON [{field, code, severity}]. */
  issues: Generated<string>;
  /** 1 when filed after the deadline (accepted, flagged). */
  late: Generated<number>;
  processed_at: string | null;
}

/** A span of a person insured through a unit at one insured amount; closed, never deleted. */
export interface InsuredPeriodTable {
  id: string;
  unit_id: string;
  id_number: string;
  name: string;
  birth_date: string;
  scheme: 'nhi' | 'joint';
  insured_amount: number;
  labour_insured_salary: number | null;
  employer_pension_percent: number | null;
  employee_pension_percent: number | null;
  from_date: string;
  /** Last day, inclusive; null while open. */
  to_date: string | null;
  end_reason: string | null;
  /** The filing that opened / closed the period. */
  opened_by: string;
  closed_by: string | null;
}

export interface DependantPeriodTable {
  id: string;
  unit_id: string;
  insured_id_number: string;
  id_number: string;
  name: string;
  birth_date: string;
  relationship: string;
  from_date: string;
  to_date: string | null;
  end_reason: string | null;
  opened_by: string;
  closed_by: string | null;
}

/** E-service desk accounts (migration 0006): one per clerk (ID number) and unit code. */
export interface DeskAccountTable {
  id: string;
  unit_code: string;
  id_number: string;
  card_number: string;
  email: string;
  password_hash: string;
  status: 'pending' | 'active';
  created_at: string;
  activated_at: string | null;
}

export interface DeskSessionTable {
  /** SHA-256 (hex) of the cookie's token. */
  token_hash: string;
  account_id: string;
  created_at: string;
  expires_at: string;
  ended_at: string | null;
}

/** Mailed single-use links: activation, password reset, e-mail change (SHA-256 of the token). */
export interface DeskTokenTable {
  token_hash: string;
  account_id: string;
  purpose: 'activate' | 'reset' | 'email';
  new_email: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** Captchas: only hashes of the answers (image text, accessible question) are kept. */
export interface DeskCaptchaTable {
  id: string;
  image_answer_hash: string;
  question_answer_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** Every desk login attempt by the identity typed (lockout counts these, whether an account exists or not). */
export interface DeskLoginEventTable {
  /** Sortable by creation (services/ids.ts). */
  id: string;
  unit_code: string;
  id_number: string;
  account_id: string | null;
  outcome: 'success' | 'failure' | 'locked';
  client_ip: string | null;
  at: string;
}

export interface DeskFormRequestTable {
  /** Sortable by creation (services/ids.ts). */
  id: string;
  unit_code: string;
  account_id: string;
  kind: 'resend' | 'auto-send';
  /** JSON array of shared/desk/formRules.ts ResendDocument. */
  documents: string;
  /** JSON array of slip months (YYYY-MM); auto-send: its first month. */
  months: string;
  state: 'queued' | 'generating' | 'ready' | 'expired' | 'failed';
  created_at: string;
  claimed_until: string | null;
  ready_at: string | null;
  /** When the files are removed. */
  expires_at: string | null;
  last_error: string | null;
}

export interface DeskFormFileTable {
  id: string;
  request_id: string;
  name: string;
  content_base64: string;
}

/** A unit's e-payment slip mail subscription (電子繳款單申請); one row per unit. */
export interface SlipSubscriptionTable {
  unit_id: string;
  email: string | null;
  confirmed_at: string | null;
  pending_email: string | null;
  /** SHA-256 (hex) of the confirmation token. */
  confirm_token_hash: string | null;
  confirm_expires_at: string | null;
  cancelled_at: string | null;
  updated_at: string;
  /** The first issue month (YYYY-MM) mailed; null: every month from the confirmation on. */
  first_issue_month: string | null;
}

/** `sending`: handed to the mail server, not yet known to be accepted (a crash leaves it so). */
export type SlipDispatchState =
  'pending' | 'sending' | 'sent' | 'bounced' | 'nothing-to-bill' | 'unsubscribed' | 'failed';

/** One unit's slip mail for one period: planned once, claimed by runners, sent once. */
export interface SlipDispatchTable {
  /** `<unit id>/<period id>`, also the mail's Message-ID. */
  id: string;
  unit_id: string;
  period_id: string;
  issue_month: string;
  state: SlipDispatchState;
  attempts: Generated<number>;
  claimed_until: string | null;
  recipient: string | null;
  sent_at: string | null;
  last_error: string | null;
  created_at: string;
}

/** A unit's billing cycle from a premium month on (migration 0009, shared/billing/billingCycles.ts). */
export interface UnitBillingCycleTable {
  unit_id: string;
  from_month: string;
  cycle: 'monthly' | 'bimonthly';
  set_by: string;
  set_at: string;
}

export interface SlipDispatchRunTable {
  issue_month: string;
  started_at: string;
  planned: Generated<number>;
  finished_at: string | null;
}

export interface Database {
  units: UnitTable;
  registrations: RegistrationTable;
  clerks: ClerkTable;
  nhi_cards: NhiCardTable;
  nonces: NonceTable;
  sessions: SessionTable;
  audit: AuditTable;
  mail_outbox: MailOutboxTable;
  submissions: SubmissionTable;
  filings: FilingTable;
  insured_periods: InsuredPeriodTable;
  dependant_periods: DependantPeriodTable;
  desk_accounts: DeskAccountTable;
  desk_sessions: DeskSessionTable;
  desk_tokens: DeskTokenTable;
  desk_captchas: DeskCaptchaTable;
  desk_login_events: DeskLoginEventTable;
  desk_form_requests: DeskFormRequestTable;
  desk_form_files: DeskFormFileTable;
  slip_subscriptions: SlipSubscriptionTable;
  slip_dispatches: SlipDispatchTable;
  slip_dispatch_runs: SlipDispatchRunTable;
  unit_billing_cycles: UnitBillingCycleTable;
  rate_limits: RateLimitTable;
}

export type Unit = Selectable<UnitTable>;
export type NewUnit = Insertable<UnitTable>;
export type Registration = Selectable<RegistrationTable>;
export type Clerk = Selectable<ClerkTable>;
export type NhiCard = Selectable<NhiCardTable>;
export type Session = Selectable<SessionTable>;
export type AuditRow = Selectable<AuditTable>;
export type MailOutboxRow = Selectable<MailOutboxTable>;
export type SubmissionRow = Selectable<SubmissionTable>;
export type FilingRow = Selectable<FilingTable>;
export type InsuredPeriod = Selectable<InsuredPeriodTable>;
export type DependantPeriod = Selectable<DependantPeriodTable>;
export type DeskAccount = Selectable<DeskAccountTable>;
export type DeskFormRequest = Selectable<DeskFormRequestTable>;
export type SlipSubscription = Selectable<SlipSubscriptionTable>;
export type SlipDispatch = Selectable<SlipDispatchTable>;
