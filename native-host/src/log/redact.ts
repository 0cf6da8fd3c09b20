/**
 * Last line of defence for logs: masks anything shaped like a Taiwan ID number or an NHI card number,
 * should a message ever carry one. Code must not log personal data in the first place.
 */
const ID_NUMBER = /\b[A-Z][1289A-D]\d{8}\b/g;
const CARD_NUMBER = /\b\d{12}\b/g;

export function redact(text: string): string {
  return text.replace(ID_NUMBER, (m) => `${m[0]}*********`).replace(CARD_NUMBER, '************');
}
