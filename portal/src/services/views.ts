/** Rows → API views (shared/portal/api.ts). */
import type { Clerk, Registration, Unit } from '../db/schema.ts';
import type { ClerkView, RegistrationView, UnitView } from '../../../shared/portal/api.ts';

export function unitView(unit: Unit): UnitView {
  const view: UnitView = { code: unit.unit_code, name: unit.name };
  if (unit.ubn) view.ubn = unit.ubn;
  if (unit.organization_id) view.organizationId = unit.organization_id;
  return view;
}

export function registrationView(r: Registration): RegistrationView {
  return {
    id: r.id,
    method: r.method,
    credential: r.credential,
    contactEmail: r.contact_email,
    status: r.status,
    createdAt: r.created_at,
  };
}

export function clerkView(c: Clerk): ClerkView {
  const view: ClerkView = {
    id: c.id,
    kind: c.kind,
    displayName: c.display_name,
    credential: c.credential_label,
    status: c.status,
    createdAt: c.created_at,
  };
  if (c.id_last4) view.idLast4 = c.id_last4;
  if (c.email) view.email = c.email;
  if (c.revoked_at) view.revokedAt = c.revoked_at;
  return view;
}
