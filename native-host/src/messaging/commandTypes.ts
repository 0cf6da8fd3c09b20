/** What a command module provides, and what it may ask of the server. */
import {
  HOST_COMMANDS,
  type CommandArgs,
  type CommandResult,
  type HostCommandName,
} from '../../../shared/protocol/commands.ts';
import type { TSchema } from '@sinclair/typebox';
import type { EncodedResult } from './frameEncoder.ts';

export interface CommandContext {
  /** Starts sending events (readers-changed …) on this connection. */
  subscribeEvents(): void;
}

/** What the server runs: `args` is checked before `run` (the server itself knows no command). */
export interface ServedCommand {
  name: string;
  args: TSchema;
  run(args: unknown, context: CommandContext): Promise<unknown>;
}

/** A command of the protocol table, made only by defineCommand. */
export interface CommandDefinition extends ServedCommand {
  name: HostCommandName;
}

/**
 * Registers a command under a name of the protocol table: `run` receives that command's arguments
 * and must return its result type, so a command file that disagrees with the table fails typecheck.
 */
export function defineCommand<N extends HostCommandName>(
  name: N,
  run: (
    args: CommandArgs<N>,
    context: CommandContext,
  ) => Promise<CommandResult<N> | EncodedResult<CommandResult<N>>>,
): CommandDefinition {
  return {
    name,
    args: HOST_COMMANDS[name].args,
    run: (args, context) => run(args as CommandArgs<N>, context),
  };
}
