/**
 * A snapshot of a unit's roster as the checks need it: who is insured here now, and whose
 * dependant each dependant is. The portal builds it from its tables; the pages from a query.
 */
import type { Filing } from './contracts.ts';

export interface RosterDependant {
  idNumber: string;
  insuredIdNumber: string;
}

export interface RosterSnapshot {
  insured: ReadonlySet<string>;
  /** Dependant ID number → the insured person's ID number. */
  dependantOf: ReadonlyMap<string, string>;
}

export function rosterSnapshot(
  insured: Iterable<string>,
  dependants: Iterable<RosterDependant>,
): RosterSnapshot {
  return {
    insured: new Set(insured),
    dependantOf: new Map(Array.from(dependants, (d) => [d.idNumber, d.insuredIdNumber] as const)),
  };
}

export function hasDependants(roster: RosterSnapshot, insuredIdNumber: string): boolean {
  for (const owner of roster.dependantOf.values()) if (owner === insuredIdNumber) return true;
  return false;
}

/** A roster a batch check may change as it goes (one copy per batch, not one per filing). */
export interface WorkingRoster {
  insured: Set<string>;
  dependantOf: Map<string, string>;
}

export function workingCopy(roster: RosterSnapshot): WorkingRoster {
  return { insured: new Set(roster.insured), dependantOf: new Map(roster.dependantOf) };
}

/** Changes `roster` as an accepted filing changes the unit's roster. */
export function applyFilingInPlace(roster: WorkingRoster, filing: Filing): void {
  const { insured, dependantOf } = roster;
  switch (filing.kind) {
    case 'enrol':
      insured.add(filing.idNumber);
      break;
    case 'withdraw':
      insured.delete(filing.idNumber);
      break;
    case 'dependant-enrol':
      dependantOf.set(filing.idNumber, filing.insuredIdNumber);
      break;
    case 'dependant-withdraw':
      dependantOf.delete(filing.idNumber);
      break;
    case 'correction': {
      const next = filing.newIdNumber;
      if (next === undefined) break;
      if (insured.delete(filing.idNumber)) insured.add(next);
      const owner = dependantOf.get(filing.idNumber);
      if (dependantOf.delete(filing.idNumber) && owner !== undefined) dependantOf.set(next, owner);
      for (const [dependant, insuredId] of dependantOf)
        if (insuredId === filing.idNumber) dependantOf.set(dependant, next);
      break;
    }
    case 'amount-change':
      break;
  }
}

/**
 * The roster after an accepted filing, as a new snapshot: so the rows of one batch are checked in
 * order (enrol a person, then their dependant). Dependants of a withdrawn person stay until withdrawn.
 */
export function applyFiling(roster: RosterSnapshot, filing: Filing): RosterSnapshot {
  const next = workingCopy(roster);
  applyFilingInPlace(next, filing);
  return next;
}
