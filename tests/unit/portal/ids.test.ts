/** Row ids: sortable by time, of the documented form, and never repeated across the random pool's refills. */
import { describe, expect, it } from 'vitest';
import { ID_PATTERN } from '../../../shared/portal/api.ts';
import { newId } from '../../../portal/src/services/ids.ts';

describe('newId', () => {
  it('makes distinct ids of the documented form, past many refills of the random pool', () => {
    const now = new Date('2026-12-03T00:00:00Z');
    const ids = Array.from({ length: 5000 }, () => newId(now));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(new RegExp(ID_PATTERN));
    // The random parts differ too (not only the sequence).
    expect(new Set(ids.map((id) => id.slice(15))).size).toBe(ids.length);
  });

  it('sorts by creation time', () => {
    const a = newId(new Date('2026-12-03T00:00:00Z'));
    const b = newId(new Date('2026-12-03T00:00:00.001Z'));
    expect(a < b).toBe(true);
  });
});
