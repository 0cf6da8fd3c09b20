/**
 * Searches files for secrets (the test PINs), as a whole token only: a PIN inside a longer run of
 * digits, hex or base64 (a hash, a nonce, a serial) is not the PIN, and must not fail the run.
 * Binary files (a NUL in their first 64 KiB: screenshots, databases' pages, archives) are skipped,
 * since random bytes would spell a 6-digit PIN often enough to misfire; what the check is about
 * (logs, mails, JSON, stored text) is text.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export interface Secret {
  /** What the secret is, for the report (the value itself is never printed). */
  label: string;
  value: string;
}

export interface SecretFinding {
  file: string;
  label: string;
  line: number;
}

const MAX_FILE_BYTES = 64 * 1024 * 1024;
const SNIFF_BYTES = 64 * 1024;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The secret as a token: not inside a run of the characters of hex, base64 or a number (ASCII
 * letters, digits, `+`, `/`; `=` after it, base64's padding). A Chinese label right before it
 * (密碼123456) still counts as a find.
 */
export function secretPattern(value: string): RegExp {
  return new RegExp(`(?<![A-Za-z0-9+/])${escape(value)}(?![A-Za-z0-9+/=])`);
}

function isBinary(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const read = readSync(fd, buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, read).includes(0);
  } finally {
    closeSync(fd);
  }
}

/** Every file below the given paths (files or folders; missing ones are skipped). */
export function filesUnder(roots: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (entry: string) => {
    const stat = statSync(entry, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) for (const name of readdirSync(entry)) walk(path.join(entry, name));
    else if (stat.isFile()) out.push(entry);
  };
  for (const root of roots) if (root && existsSync(root)) walk(root);
  return [...new Set(out)];
}

/** Where the secrets occur, by file, secret label and line. */
export function scanForSecrets(files: readonly string[], secrets: readonly Secret[]): SecretFinding[] {
  const patterns = secrets.map((s) => ({ label: s.label, pattern: secretPattern(s.value) }));
  const findings: SecretFinding[] = [];
  for (const file of files) {
    if (statSync(file).size > MAX_FILE_BYTES || isBinary(file)) continue;
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((text, index) => {
      for (const { label, pattern } of patterns)
        if (pattern.test(text)) findings.push({ file, label, line: index + 1 });
    });
  }
  return findings;
}
