/**
 * Known card ATRs, as data. Each entry says where it comes from. `pattern` is hex where `..` matches
 * any byte. NHI cards come from several manufacturers and no public list of their ATRs exists, so an
 * NHI card is usually recognised by probing its applet (identify.ts); this table only shortens that.
 */
import type { CardType } from '../../../shared/protocol/messages.ts';

export interface AtrEntry {
  pattern: string;
  type: CardType;
  name: string;
  source: string;
}

const SMARTCARD_LIST = 'pcsc-tools smartcard_list.txt (Ludovic Rousseau), Debian pcsc-tools 1.6';

export const ATR_TABLE: readonly AtrEntry[] = [
  {
    pattern: '3b8b80010031c1640840213000900057',
    type: 'pki',
    name: 'MOICA citizen digital certificate (HiCOS)',
    source: SMARTCARD_LIST,
  },
  {
    pattern: '3bb813008131fa524348544d4f494341a5',
    type: 'pki',
    name: 'MOICA citizen digital certificate (HiCOS, "CHTMOICA")',
    source: SMARTCARD_LIST,
  },
  {
    pattern: '3bd8960081b1fe451f0743485447504b494add',
    type: 'pki',
    name: 'Citizen digital certificate (HiCOS, "CHTGPKI")',
    source: SMARTCARD_LIST,
  },
];

interface CompiledEntry {
  entry: AtrEntry;
  regex: RegExp;
}

export function compileAtrTable(entries: readonly AtrEntry[]): CompiledEntry[] {
  return entries.map((entry) => {
    const clean = entry.pattern.replace(/\s+/g, '').toLowerCase();
    if (!/^([0-9a-f]{2}|\.\.)+$/.test(clean)) throw new Error(`bad ATR pattern: ${entry.pattern}`);
    return { entry, regex: new RegExp(`^${clean}$`) };
  });
}

const COMPILED = compileAtrTable(ATR_TABLE);

export function lookupAtr(atr: Buffer, table: CompiledEntry[] = COMPILED): AtrEntry | undefined {
  const text = atr.toString('hex');
  return table.find((c) => c.regex.test(text))?.entry;
}
