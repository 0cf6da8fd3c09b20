/**
 * A test file's suites on each backend. Apart from harness.ts because it calls vitest's `describe`,
 * and the benches import the harness outside vitest.
 */
import { describe, it } from 'vitest';
import { POSTGRES_MISSING_MESSAGE } from '../../../lab/postgres.ts';
import type { Backends, ReadyBackend } from './harness.ts';

/**
 * One `describe` per backend (`$name` in the title names it). Without PostgreSQL its variant is one
 * skipped test that says why, so a missing database shows in the report instead of passing silently.
 */
export function describeEachBackend(
  backends: Backends,
  title: string,
  body: (backend: ReadyBackend) => void,
): void {
  describe.each(backends.list)(title, (backend) => {
    if (backend.kind === 'sqlite') return body(backend);
    if (backend.url === undefined) return void it.skip(POSTGRES_MISSING_MESSAGE, () => undefined);
    body({ ...backend, url: backend.url });
  });
}
