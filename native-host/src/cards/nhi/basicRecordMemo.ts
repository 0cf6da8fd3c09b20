/**
 * The last basic record read from each reader, kept while the same card stays in it. The card is
 * still read every time; when its READ answer is the same 57 bytes as last time, the parse and the
 * reply's JSON made then are given again (a page that reads the card again and again costs no
 * Big5 decoding or serialising each time, as `status` keeps its answer encoded). An entry is dropped
 * as soon as the reader reports another card or none, so no holder data outlives the card's stay.
 */
import type { CommandResult } from '../../../../shared/protocol/commands.ts';
import { EncodedResult } from '../../messaging/frameEncoder.ts';
import type { ReaderMonitor } from '../../pcsc/readerMonitor.ts';
import type { NhiBasicRecord } from './basicRecord.ts';

type ReadBasicReply = EncodedResult<CommandResult<'nhi.readBasic'>>;

interface Kept {
  /** The card's insertion (the monitor's generation for the reader) the answer came from. */
  generation: number;
  answer: Buffer;
  record: NhiBasicRecord;
  reply?: ReadBasicReply;
}

export class BasicRecordMemo {
  private readonly kept = new Map<string, Kept>();

  constructor(private readonly monitor: Pick<ReaderMonitor, 'reader' | 'on'>) {
    monitor.on('changed', () => {
      for (const [reader, entry] of this.kept) {
        if (this.monitor.reader(reader)?.generation !== entry.generation) this.kept.delete(reader);
      }
    });
  }

  /** The record of a READ answer from `reader`: the one kept for the same card and bytes, else `parse`'s. */
  record(reader: string, answer: Buffer, parse: (answer: Buffer) => NhiBasicRecord): NhiBasicRecord {
    const generation = this.monitor.reader(reader)?.generation;
    const entry = this.kept.get(reader);
    if (entry && entry.generation === generation && entry.answer.equals(answer)) return entry.record;
    // Parsed before it is kept: an answer that does not parse replaces nothing.
    const record = parse(answer);
    if (generation === undefined) this.kept.delete(reader);
    else this.kept.set(reader, { generation, answer: Buffer.from(answer), record });
    return record;
  }

  /** The readers holding an entry (tests check that holder data leaves with the card). */
  get keptReaders(): string[] {
    return [...this.kept.keys()];
  }

  /** The reply for a record `record()` gave, serialised once while it stays kept. */
  reply(reader: string, record: NhiBasicRecord): ReadBasicReply {
    const entry = this.kept.get(reader);
    if (entry?.record !== record) return new EncodedResult({ reader, ...record });
    return (entry.reply ??= new EncodedResult({ reader, ...record }));
  }
}
