/**
 * Hidden characters (C0/C1 controls such as NUL, CR, LF, NEL; bidi overrides and other format
 * characters; line separators): never accepted in any request text, never written unescaped. The set
 * is the field rules' one (shared/fields/rules.ts).
 */
import { HIDDEN_CHARACTERS, hasHiddenCharacter } from '../../../shared/fields/rules.ts';

export function hasControlCharacter(text: string): boolean {
  return hasHiddenCharacter(text);
}

/** The text with each hidden character shown as `\uXXXX` (for the audit log). */
export function escapeControlCharacters(text: string): string {
  return text.replace(HIDDEN_CHARACTERS, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}
