/**
 * The PIN-secrecy search (tests/support/secretScan.ts): it finds a PIN written as itself, and does
 * not misfire on the same digits inside a hash, a nonce, a longer number or a binary file.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesUnder, scanForSecrets, secretPattern } from '../support/secretScan.ts';
import { TEST_PINS } from '../support/testPins.ts';

const PIN = { label: 'the PIN', value: '123456' };
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cardbridge-secretscan-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const target = path.join(dir, name);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, content);
  return target;
}

describe('secret search', () => {
  it('finds the PIN as a token: in JSON, after a label, at a line end', () => {
    for (const text of [
      '{"pin":"123456"}',
      'pin=123456',
      'PIN 123456',
      '123456',
      '密碼：123456。',
      '密碼123456',
    ]) {
      expect(secretPattern(PIN.value).test(text), text).toBe(true);
    }
  });

  it('does not take the same digits inside hex, base64 or a longer number for the PIN', () => {
    for (const text of [
      'sha256 9f1234567a',
      'nonce a1B2123456+/=',
      'serial 01234567',
      'took 1234560 µs',
      'id=abc123456',
    ]) {
      expect(secretPattern(PIN.value).test(text), text).toBe(false);
    }
  });

  it('reports file, line and label, skips binary files, and walks folders', () => {
    const log = file('logs/host.log', 'started\n{"cmd":"sign","pin":"123456"}\n');
    file('logs/digest.log', 'digest 0a123456ff\n');
    file('shot.png', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0]), Buffer.from(' 123456 ')]));
    const files = filesUnder([path.join(dir, 'logs'), path.join(dir, 'shot.png'), '/nonexistent/x']);
    expect(files).toHaveLength(3);
    expect(scanForSecrets(files, [PIN])).toEqual([{ file: log, label: 'the PIN', line: 2 }]);
  });

  it('searches for every PIN the lab gives the tests, and none is empty', () => {
    expect(TEST_PINS.length).toBeGreaterThanOrEqual(8);
    for (const pin of TEST_PINS) expect(pin.value.length).toBeGreaterThanOrEqual(6);
  });
});
