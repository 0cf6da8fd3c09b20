/** Hash routes of the portal pages and who may see which (extension/pages/portal/router.ts). */
import { describe, expect, it } from 'vitest';
import { landingRoute, parseRoute, resolveRoute, routeHash } from '../../../extension/pages/portal/router.ts';

describe('portal routes', () => {
  it('parses the hash', () => {
    expect(parseRoute('#/login')).toBe('login');
    expect(parseRoute('#/register')).toBe('register');
    expect(parseRoute('#clerks')).toBe('clerks');
    expect(parseRoute('#/home?x=1')).toBe('home');
    expect(parseRoute('#/cancel/now')).toBe('cancel');
    expect(parseRoute('')).toBeUndefined();
    expect(parseRoute('#/admin')).toBeUndefined();
    expect(routeHash('home')).toBe('#/home');
  });

  it('sends the unit to its clerks and a clerk home after login', () => {
    expect(landingRoute('unit')).toBe('clerks');
    expect(landingRoute('clerk')).toBe('home');
  });

  it('guards the screens that need a session, and the unit-only ones', () => {
    expect(resolveRoute('home', undefined)).toBe('login');
    expect(resolveRoute('clerks', undefined)).toBe('login');
    expect(resolveRoute('cancel', undefined)).toBe('login');
    expect(resolveRoute('clerks', 'clerk')).toBe('home');
    expect(resolveRoute('cancel', 'clerk')).toBe('home');
    expect(resolveRoute('clerks', 'unit')).toBe('clerks');
    expect(resolveRoute('cancel', 'unit')).toBe('cancel');
    expect(resolveRoute('register', undefined)).toBe('register');
    expect(resolveRoute('login', 'unit')).toBe('login');
    expect(resolveRoute(undefined, undefined)).toBe('login');
    expect(resolveRoute(undefined, 'clerk')).toBe('home');
    expect(resolveRoute('batch', 'clerk')).toBe('batch');
    expect(resolveRoute('batch', 'unit')).toBe('home');
    expect(resolveRoute('batch', undefined)).toBe('login');
  });

  it('opens the queries to a clerk and to the unit, never without a session', () => {
    expect(parseRoute('#/roster')).toBe('roster');
    expect(parseRoute('#/history')).toBe('history');
    for (const route of ['roster', 'history'] as const) {
      expect(resolveRoute(route, 'clerk')).toBe(route);
      expect(resolveRoute(route, 'unit')).toBe(route);
      expect(resolveRoute(route, undefined)).toBe('login');
    }
  });
});
