/** The memo of the last basic record per reader: reused only for the same card and the same bytes. */
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { encodeNhiBasicRecord, DEMO_NHI_CARD } from '../../lab/cards/nhiCardApplet.ts';
import { parseNhiBasicRecord } from '../../native-host/src/cards/nhi/basicRecord.ts';
import { BasicRecordMemo } from '../../native-host/src/cards/nhi/basicRecordMemo.ts';

/** A reader monitor reduced to what the memo asks: each reader's card generation, and 'changed'. */
class FakeMonitor extends EventEmitter {
  readonly generations = new Map<string, number>();
  reader(name: string) {
    const generation = this.generations.get(name);
    return generation === undefined ? undefined : { generation };
  }
  swap(name: string, generation: number | undefined): void {
    if (generation === undefined) this.generations.delete(name);
    else this.generations.set(name, generation);
    this.emit('changed');
  }
}

function setUp() {
  const monitor = new FakeMonitor();
  monitor.generations.set('R0', 1);
  const memo = new BasicRecordMemo(monitor as never);
  const parse = vi.fn(parseNhiBasicRecord);
  return { monitor, memo, parse };
}

const A = encodeNhiBasicRecord(DEMO_NHI_CARD);
const B = encodeNhiBasicRecord({ ...DEMO_NHI_CARD, name: '林美華', cardNumber: '987654321098' });

describe('BasicRecordMemo', () => {
  it('parses an answer once while the same card gives the same bytes, and serialises its reply once', () => {
    const { memo, parse } = setUp();
    const first = memo.record('R0', A, parse);
    const again = memo.record('R0', Buffer.from(A), parse);
    expect(again).toBe(first);
    expect(parse).toHaveBeenCalledTimes(1);
    const reply = memo.reply('R0', first);
    expect(memo.reply('R0', again)).toBe(reply);
    expect(JSON.parse(reply.json)).toEqual({ reader: 'R0', ...parseNhiBasicRecord(A) });
  });

  it('parses again when the bytes differ, or when another card (same bytes) is in the reader', () => {
    const { monitor, memo, parse } = setUp();
    memo.record('R0', A, parse);
    expect(memo.record('R0', B, parse).name).toBe('林美華');
    expect(parse).toHaveBeenCalledTimes(2);
    monitor.generations.set('R0', 2); // swapped, before the monitor's event
    expect(memo.record('R0', B, parse).name).toBe('林美華');
    expect(parse).toHaveBeenCalledTimes(3);
  });

  it('keeps a copy of the answer: a buffer reused by the caller does not change what is compared', () => {
    const { memo, parse } = setUp();
    const space = Buffer.from(A);
    memo.record('R0', space, parse);
    B.copy(space);
    expect(memo.record('R0', space, parse).name).toBe('林美華');
  });

  it('drops the holder data as soon as the card leaves, and keeps readers whose card stayed', () => {
    const { monitor, memo, parse } = setUp();
    monitor.generations.set('R1', 7);
    memo.record('R0', A, parse);
    const kept = memo.record('R1', B, parse);
    monitor.swap('R0', undefined);
    expect(memo.keptReaders).toEqual(['R1']);
    expect(memo.reply('R1', kept)).toBe(memo.reply('R1', kept));
    monitor.swap('R1', 8);
    expect(memo.keptReaders).toEqual([]);
  });

  it('keeps nothing for an answer that does not parse, nor for a reader the monitor does not know', () => {
    const { memo, parse } = setUp();
    const kept = memo.record('R0', A, parse);
    expect(() => memo.record('R0', Buffer.alloc(57, 0x41), parse)).toThrow();
    expect(memo.record('R0', A, parse)).toBe(kept);
    memo.record('gone', A, parse);
    expect(memo.keptReaders).toEqual(['R0']);
    // A record the memo does not hold still gets its reply, made for it.
    const fresh = parseNhiBasicRecord(B);
    expect(JSON.parse(memo.reply('R0', fresh).json)).toMatchObject({ reader: 'R0', name: '林美華' });
  });
});
