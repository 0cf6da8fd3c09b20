/** FileLogger (rotation, levels, never throwing) and the redaction applied to every line. */
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileLogger, parseLogLevel, silentLogger } from '../../native-host/src/log/logger.ts';
import { redact } from '../../native-host/src/log/redact.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cardbridge-log-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

const read = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '');
const lines = (file: string): string[] => read(file).split('\n').filter(Boolean);

describe('redact', () => {
  it.each([
    ['citizen ID', 'read A123456789 ok', 'read A********* ok'],
    ['female citizen ID', 'id=F231104093', 'id=F*********'],
    ['new resident number', 'id: A812345678.', 'id: A*********.'],
    ['old resident number', '(AB12345677)', '(A*********)'],
    ['ID with a bad checksum (masked all the same)', 'A123456788', 'A*********'],
    ['12-digit card number', 'card 000012345678 read', 'card ************ read'],
    [
      'ID and card number next to CJK text',
      '卡號000012345678，身分證A123456789。',
      '卡號************，身分證A*********。',
    ],
  ])('masks a %s', (_, input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('masks every occurrence', () => {
    expect(redact('A123456789 B123456780 123456789012 210987654321')).toBe(
      'A********* B********* ************ ************',
    );
  });

  it.each([
    ['an 11-digit number', 'took 12345678901 ns'],
    ['a 13-digit timestamp', 'at 1700000000000'],
    ['an ATR', 'ATR 3b8b80010031c1640840213000900057'],
    ['an SCARD code', 'SCardTransmit error: Card was removed.(0x80100069)'],
    ['a letter + 9 digits with an impossible second digit', 'X323456789'],
  ])('leaves %s alone', (_, text) => {
    expect(redact(text)).toBe(text);
  });
});

describe('FileLogger', () => {
  it('appends one formatted line per message to host.log', () => {
    const dir = tempDir();
    const logger = new FileLogger({ dir });
    logger.info('pcsc', 'service available');
    logger.error('messaging', 'boom');
    expect(logger.file).toBe(path.join(dir, 'host.log'));
    const [first, second] = lines(logger.file);
    expect(first).toMatch(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z \d+ INFO \[pcsc\] service available$/,
    );
    expect(first).toContain(` ${process.pid} `);
    expect(second).toMatch(/ ERROR \[messaging\] boom$/);
  });

  it('with deferWrites, writes the lines of a turn once the turn is over, in order', async () => {
    const logger = new FileLogger({ dir: tempDir(), deferWrites: true });
    logger.info('t', 'first');
    logger.warn('t', 'second');
    // Nothing yet: the reply these lines record goes out first.
    expect(read(logger.file)).toBe('');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines(logger.file).map((l) => l.split(' ').at(-1))).toEqual(['first', 'second']);
    logger.info('t', 'third');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines(logger.file).map((l) => l.split(' ').at(-1))).toEqual(['first', 'second', 'third']);
  });

  it('with deferWrites, flush() writes what waits at once (the host calls it on exit)', () => {
    const logger = new FileLogger({ dir: tempDir(), deferWrites: true, maxBytes: 120, keep: 1 });
    for (let i = 0; i < 4; i++) logger.info('t', `line ${i} ${'x'.repeat(20)}`);
    logger.flush();
    // Rotation still applies line by line: the newest line is in host.log, the one before in host.log.1.
    expect(lines(logger.file).at(-1)).toContain('line 3');
    expect(lines(`${logger.file}.1`).at(-1)).toContain('line 2');
  });

  it('with deferWrites, a line keeps the time of the call and is redacted when written', () => {
    const logger = new FileLogger({ dir: tempDir(), deferWrites: true });
    const before = Date.now();
    logger.info('t', 'holder A123456789 card 000012345678');
    const after = Date.now();
    while (Date.now() < after + 20); // the line is written at least 20 ms after the call
    logger.flush();
    const [line] = lines(logger.file);
    const stamped = Date.parse(line!.split(' ')[0]!);
    expect(stamped).toBeGreaterThanOrEqual(before);
    expect(stamped).toBeLessThanOrEqual(after);
    expect(line).toContain('holder A********* card ************');
    expect(line).not.toContain('123456789');
  });

  it('creates a missing log folder', () => {
    const dir = path.join(tempDir(), 'a', 'b');
    const logger = new FileLogger({ dir });
    logger.warn('x', 'hello');
    expect(lines(logger.file)).toHaveLength(1);
  });

  it('redacts ID and card numbers before writing', () => {
    const logger = new FileLogger({ dir: tempDir() });
    logger.info('nhi', 'read card 000012345678 of A123456789');
    const text = read(logger.file);
    expect(text).not.toContain('000012345678');
    expect(text).not.toContain('A123456789');
    expect(text).toContain('read card ************ of A*********');
  });

  it.each([
    ['debug', ['debug', 'info', 'warn', 'error']],
    ['info', ['info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['error', ['error']],
  ] as const)('at level %s writes only %j', (level, expected) => {
    const logger = new FileLogger({ dir: tempDir(), level });
    logger.debug('t', 'debug');
    logger.info('t', 'info');
    logger.warn('t', 'warn');
    logger.error('t', 'error');
    expect(lines(logger.file).map((l) => l.split(' ').at(-1))).toEqual(expected);
  });

  it('defaults to level info', () => {
    const logger = new FileLogger({ dir: tempDir() });
    logger.debug('t', 'hidden');
    logger.info('t', 'shown');
    expect(read(logger.file)).not.toContain('hidden');
    expect(read(logger.file)).toContain('shown');
  });

  it('rotates at maxBytes, keeping `keep` old files, newest first', () => {
    const dir = tempDir();
    const maxBytes = 300;
    const logger = new FileLogger({ dir, maxBytes, keep: 2 });
    const total = 40;
    for (let i = 0; i < total; i++) logger.info('rot', `message ${String(i).padStart(3, '0')}`);

    expect(readdirSync(dir).sort()).toEqual(['host.log', 'host.log.1', 'host.log.2']);
    const files = ['host.log.2', 'host.log.1', 'host.log'].map((f) => path.join(dir, f));
    for (const f of files) {
      expect(statSync(f).size).toBeGreaterThan(0);
      expect(statSync(f).size).toBeLessThanOrEqual(maxBytes);
    }
    // Oldest to newest, the kept files hold a contiguous run that ends with the last message.
    const numbers = files.flatMap(lines).map((l) => Number(/message (\d+)$/.exec(l)![1]));
    expect(numbers.at(-1)).toBe(total - 1);
    numbers.forEach((n, i) => {
      if (i > 0) expect(n).toBe(numbers[i - 1]! + 1);
    });
    // …and older messages were dropped, not kept in a fourth file.
    expect(numbers[0]).toBeGreaterThan(0);
  });

  it('measures maxBytes in bytes, so Chinese text does not overflow a file', () => {
    const dir = tempDir();
    const logger = new FileLogger({ dir, maxBytes: 300, keep: 2 });
    for (let i = 0; i < 6; i++) logger.info('zh', '健保卡讀取'.repeat(10));
    for (const f of readdirSync(dir)) expect(statSync(path.join(dir, f)).size).toBeLessThanOrEqual(300);
  });

  it('writes a first line longer than maxBytes and keeps logging after it', () => {
    const dir = tempDir();
    const logger = new FileLogger({ dir, maxBytes: 50 });
    logger.info('a', 'x'.repeat(100));
    logger.info('a', 'short');
    const all = readdirSync(dir)
      .map((f) => read(path.join(dir, f)))
      .join('');
    expect(all).toContain('x'.repeat(100));
    expect(all).toContain('short');
  });

  it('counts an existing log file toward maxBytes', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'host.log'), 'x'.repeat(95) + '\n');
    const logger = new FileLogger({ dir, maxBytes: 100, keep: 1 });
    logger.info('t', 'new line');
    expect(read(path.join(dir, 'host.log.1'))).toBe('x'.repeat(95) + '\n');
    expect(read(logger.file)).toContain('new line');
  });

  it('follows a rotation done by another host process (the file is kept open between lines)', () => {
    const dir = tempDir();
    const now = vi.spyOn(Date, 'now').mockReturnValue(1_000_000);
    const logger = new FileLogger({ dir });
    logger.info('t', 'before');
    renameSync(logger.file, `${logger.file}.1`); // what a second browser's host does when it rotates
    logger.info('t', 'same second');
    now.mockReturnValue(1_001_001);
    logger.info('t', 'after');
    expect(lines(`${logger.file}.1`).map((l) => l.split('] ')[1])).toEqual(['before', 'same second']);
    expect(lines(logger.file).map((l) => l.split('] ')[1])).toEqual(['after']);
  });

  it('honours fileName', () => {
    const dir = tempDir();
    const logger = new FileLogger({ dir, fileName: 'doctor.log' });
    logger.info('t', 'm');
    expect(readdirSync(dir)).toEqual(['doctor.log']);
  });

  it('does not throw when the folder cannot be created or written', () => {
    // A regular file where the folder should be: fails even for root (unlike chmod).
    const blocker = path.join(tempDir(), 'not-a-dir');
    writeFileSync(blocker, '');
    const logger = new FileLogger({ dir: path.join(blocker, 'logs') });
    expect(() => {
      logger.info('t', 'one');
      logger.error('t', 'two');
    }).not.toThrow();
  });

  it('still writes to stderr when the file is unusable, and never to stdout', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const blocker = path.join(tempDir(), 'not-a-dir');
    writeFileSync(blocker, '');
    const logger = new FileLogger({ dir: path.join(blocker, 'logs'), stderr: true });
    logger.warn('t', 'card 000012345678');
    logger.warn('t', 'again');
    expect(stderr).toHaveBeenCalledTimes(2);
    expect(String(stderr.mock.calls[0]![0])).toContain('WARN [t] card ************');
    expect(stdout).not.toHaveBeenCalled();
  });
});

describe('parseLogLevel and silentLogger', () => {
  it('accepts the four levels and falls back to info', () => {
    expect(parseLogLevel('debug')).toBe('debug');
    expect(parseLogLevel('error')).toBe('error');
    expect(parseLogLevel('DEBUG')).toBe('info');
    expect(parseLogLevel('verbose')).toBe('info');
    expect(parseLogLevel(undefined)).toBe('info');
  });

  it('silentLogger accepts every level without output', () => {
    const stderr = vi.spyOn(process.stderr, 'write');
    silentLogger.debug('a', 'b');
    silentLogger.info('a', 'b');
    silentLogger.warn('a', 'b');
    silentLogger.error('a', 'b');
    expect(stderr).not.toHaveBeenCalled();
  });
});
