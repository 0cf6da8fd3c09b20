/**
 * Undoes what the demo started, last first, exactly once: whichever comes first (Ctrl-C, SIGTERM, a
 * part that died, an error) runs it, and later requests wait for the same run.
 */
export class Teardown {
  private readonly steps: Array<() => unknown> = [];
  private running: Promise<void> | undefined;

  /** True once tearing down has begun: the start must not go on. */
  get begun(): boolean {
    return this.running !== undefined;
  }

  /** Registers how to undo one thing; a step registered while tearing down still runs. */
  add(step: () => unknown): void {
    this.steps.push(step);
  }

  /**
   * Registers the undoing of a thing still being created, so that a stop that comes during its
   * creation still undoes it. Rejects when tearing down began meanwhile, so the start stops there.
   */
  async track<T>(creating: Promise<T>, dispose: (created: T) => unknown): Promise<T> {
    this.add(async () => dispose(await creating));
    const created = await creating;
    if (this.begun) throw new DemoStoppedError();
    return created;
  }

  /** Runs every step once; a failing step does not keep the others from running. */
  run(): Promise<void> {
    this.running ??= this.drain();
    return this.running;
  }

  private async drain(): Promise<void> {
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step();
      } catch {
        // keep undoing the rest
      }
    }
  }
}

/** The start was cut short because the demo is stopping (not a failure to report). */
export class DemoStoppedError extends Error {
  constructor() {
    super('the demo is stopping');
  }
}
