/** checkSchema: the generic check at a schema's first use, a compiled one after; both answer alike. */
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { checkSchema } from '../../native-host/src/messaging/schemaCheck.ts';
import { RequestSchema } from '../../shared/protocol/messages.ts';
import { HOST_COMMANDS } from '../../shared/protocol/commands.ts';

describe('checkSchema', () => {
  it('answers as the schema says at the first, second and later uses', () => {
    const schema = Type.Object({ reader: Type.Optional(Type.String({ maxLength: 8 })) });
    const values = [{}, { reader: 'r1' }, { reader: 'far too long' }, { reader: 1 }, null, 'x'];
    for (let round = 0; round < 3; round++) {
      expect(values.map((v) => checkSchema(schema, v))).toEqual([true, true, false, false, false, false]);
    }
  });

  it('refuses what the protocol refuses, compiled or not', () => {
    const bad = [
      { id: '', command: 'status' },
      { id: 'x', command: 1 },
      { id: 'x', command: 'status', arguments: [] },
    ];
    for (let round = 0; round < 3; round++) {
      expect(checkSchema(RequestSchema, { id: '1', command: 'status' })).toBe(true);
      for (const value of bad) expect(checkSchema(RequestSchema, value)).toBe(false);
      expect(checkSchema(HOST_COMMANDS['nhi.readBasic'].args, { reader: 7 })).toBe(false);
    }
  });
});
