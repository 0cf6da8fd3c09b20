/**
 * Hash routes of the portal pages (#/login, #/register, #/clerks, #/home, #/cancel, #/roster,
 * #/history, #/slips, #/downloads, #/filings, #/batch) and who may see them.
 */
import type { Role } from '../../../shared/portal/api.ts';

export const ROUTES = [
  'login',
  'register',
  'clerks',
  'home',
  'cancel',
  'roster',
  'history',
  'slips',
  'downloads',
  'filings',
  'batch',
] as const;
export type Route = (typeof ROUTES)[number];

export function parseRoute(hash: string): Route | undefined {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : undefined;
}

export function routeHash(route: Route): string {
  return `#/${route}`;
}

/** Where a logged-in user lands: the unit manages its clerks, a clerk goes home. */
export function landingRoute(role: Role): Route {
  return role === 'unit' ? 'clerks' : 'home';
}

/**
 * The screen to show for a requested route: screens that need a session send to the login without
 * one; unit-only screens send a clerk home; an unknown route goes to the login (or home).
 */
export function resolveRoute(requested: Route | undefined, role: Role | undefined): Route {
  if (!requested) return role ? 'home' : 'login';
  if (requested === 'home') return role ? 'home' : 'login';
  // The queries: a clerk's work, and the unit's own view of its roster.
  if (requested === 'roster' || requested === 'history') return role ? requested : 'login';
  // 電子繳款單申請及查詢 and 下載區: the unit and its clerks.
  if (requested === 'slips' || requested === 'downloads') return role ? requested : 'login';
  if (requested === 'clerks' || requested === 'cancel') {
    if (!role) return 'login';
    return role === 'unit' ? requested : 'home';
  }
  // Filings are signed by a clerk; the unit's own login manages clerks only.
  if (requested === 'filings' || requested === 'batch') {
    if (!role) return 'login';
    return role === 'clerk' ? requested : 'home';
  }
  return requested;
}
