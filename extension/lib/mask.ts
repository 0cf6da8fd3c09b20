/** Masking of personal data for screens and copied reports: enough to recognise, not to reuse. */

/** 王大明 → 王*明; two characters → 王*; Latin names keep their first and last letter. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** A123456789 → A1234*****: the letter and sex digit stay, the serial part goes. */
export function maskIdNumber(id: string): string {
  return id.length <= 5 ? '*'.repeat(id.length) : `${id.slice(0, 5)}${'*'.repeat(id.length - 5)}`;
}

/** 000012345678 → ********5678. */
export function maskCardNumber(card: string): string {
  return card.length <= 4 ? card : `${'*'.repeat(card.length - 4)}${card.slice(-4)}`;
}
