/**
 * A snapshot of a unit's roster as the checks need it: who is insured here now, and whose
 * dependant each dependant is. The portal builds it from its tables; the pages from a query.
 */

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
