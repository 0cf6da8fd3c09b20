/** What the filings table keeps of a filing beside its JSON: who it is about and when it takes effect. */
import type { Filing } from '../../../shared/filings/contracts.ts';

/** The date a filing takes effect (an amount change: the first day of its month); none for a correction. */
export function effectiveDateOf(filing: Filing): string | null {
  switch (filing.kind) {
    case 'enrol':
      return filing.enrolmentDate;
    case 'withdraw':
    case 'dependant-enrol':
    case 'dependant-withdraw':
      return filing.date;
    case 'amount-change':
      return `${filing.effectiveMonth}-01`;
    case 'correction':
      return null;
  }
}

/** The person's name as the filing gives it (a correction: the new name, if any). */
export function personNameOf(filing: Filing): string | null {
  if ('name' in filing) return filing.name;
  if (filing.kind === 'correction') return filing.newName ?? null;
  return null;
}
