/**
 * TypeBox schemas compiled to checking functions, for the portal only: compiling generates code,
 * which the extension's pages may not run (MV3 forbids eval), so shared code checks with Value.Check
 * unless given this. Same schemas, same answers; a 5,000-row batch checks one per row.
 */
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

export function compiledCheck(schema: TSchema, value: unknown): boolean {
  let check = compiled.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    compiled.set(schema, check);
  }
  return check.Check(value);
}
