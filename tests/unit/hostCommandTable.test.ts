/**
 * The host registers exactly the commands of the protocol table, with the table's argument schemas;
 * a command that disagrees with the table (name, arguments or result) fails `npm run typecheck`.
 */
import { describe, expect, it } from 'vitest';
import { allCommands } from '../../native-host/src/commands/index.ts';
import type { HostServices } from '../../native-host/src/hostServices.ts';
import { defineCommand } from '../../native-host/src/messaging/commandTypes.ts';
import { HOST_COMMANDS } from '../../shared/protocol/commands.ts';

// The command factories only keep the services for later; none is used to build the list.
const commands = allCommands({} as HostServices);

describe('host command table', () => {
  it('registers every command of the table once, and nothing else', () => {
    const names = commands.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(Object.keys(HOST_COMMANDS).sort());
  });

  it("checks each command's arguments with the table's schema", () => {
    for (const command of commands) expect(command.args).toBe(HOST_COMMANDS[command.name].args);
  });

  it('refuses at compile time a name, argument or result the table does not have', () => {
    // Never called: `npm run typecheck` fails if any of these pairings stops being an error.
    const wrongPairings = () => [
      // @ts-expect-error: 'nhi.readAll' is not a command of the table.
      defineCommand('nhi.readAll', () => Promise.resolve({})),
      // @ts-expect-error: `version` answers { version, protocol: 1 }, not a bare string.
      defineCommand('version', () => Promise.resolve('0.1.0')),
      defineCommand('nhi.readBasic', (args) => {
        // @ts-expect-error: nhi.readBasic takes { reader? }, it has no `pin`.
        void args.pin;
        return Promise.reject(new Error('not run'));
      }),
    ];
    expect(typeof wrongPairings).toBe('function');
    // The correct pairing compiles.
    const version = defineCommand('version', () => Promise.resolve({ version: '0.1.0', protocol: 1 }));
    expect(version.args).toBe(HOST_COMMANDS.version.args);
  });
});
