/**
 * FIFO canaries for the host fuzz tests: a FIFO named like a module or a key file. Opening one for
 * reading blocks until a writer comes, and a writer opened with O_NONBLOCK finds a reader only while
 * someone has it open, so a test can tell whether the host is holding a canary open right now.
 */
import { closeSync, constants, openSync } from 'node:fs';

/** Whether any process has the FIFO open for reading now. */
export function hasReader(fifo: string): boolean {
  try {
    closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENXIO') return false;
    throw error;
  }
}
