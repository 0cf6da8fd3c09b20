/** What a command module provides, and what it may ask of the server. */
import type { TSchema, Static } from '@sinclair/typebox';

export interface CommandContext {
  /** Starts sending events (readers-changed …) on this connection. */
  subscribeEvents(): void;
}

export interface CommandDefinition<S extends TSchema = TSchema> {
  name: string;
  /** Runtime schema for `arguments`; a request that does not match is ERR_BAD_REQUEST. */
  args: S;
  run(args: Static<S>, context: CommandContext): Promise<unknown>;
}

/** Keeps `run`'s argument type tied to the schema, then erases it for the command table. */
export function defineCommand<S extends TSchema>(definition: CommandDefinition<S>): CommandDefinition {
  return definition;
}
