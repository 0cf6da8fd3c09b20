/**
 * What the prompt window says a submission is, in plain words: which kinds of filing, how many
 * persons, and the first few names masked as the self-check masks them (王*明). Never the full names
 * or ID numbers: the window is for recognising the filing, not for reading the data again.
 */
import type { Submission } from '../../shared/filings/contracts.ts';
import type { FilingKind } from '../../shared/filings/labels.ts';
import { maskIdNumber, maskName } from './mask.ts';

/** How many masked names the prompt lists before "and N more". */
export const SUMMARY_NAMES = 5;

export interface FilingSummary {
  /** The kinds in the order they first occur. */
  kinds: FilingKind[];
  filings: number;
  /** Distinct persons the filings are about (a dependant counts as a person). */
  persons: number;
  /** Masked names (or masked ID numbers where a filing carries no name), at most SUMMARY_NAMES. */
  names: string[];
  /** Persons not listed in `names`. */
  more: number;
}

/** The person a filing is about, and how the prompt shows them. */
function personOf(filing: Submission['filings'][number]): { key: string; shown: string } {
  const name = 'name' in filing ? filing.name : filing.kind === 'correction' ? filing.newName : undefined;
  return { key: filing.idNumber, shown: name ? maskName(name) : maskIdNumber(filing.idNumber) };
}

export function summarizeSubmission(submission: Submission): FilingSummary {
  const kinds: FilingKind[] = [];
  const persons = new Map<string, string>();
  for (const filing of submission.filings) {
    if (!kinds.includes(filing.kind)) kinds.push(filing.kind);
    const person = personOf(filing);
    if (!persons.has(person.key)) persons.set(person.key, person.shown);
  }
  const names = [...persons.values()].slice(0, SUMMARY_NAMES);
  return {
    kinds,
    filings: submission.filings.length,
    persons: persons.size,
    names,
    more: persons.size - names.length,
  };
}
