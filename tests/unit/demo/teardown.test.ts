import { describe, expect, it } from 'vitest';
import { DemoStoppedError, Teardown } from '../../../demo/teardown.ts';

describe('the demo teardown', () => {
  it('undoes last first, once, however often it is asked', async () => {
    const done: string[] = [];
    const teardown = new Teardown();
    teardown.add(() => done.push('portal'));
    teardown.add(async () => {
      await Promise.resolve();
      done.push('manifests');
    });
    await Promise.all([teardown.run(), teardown.run()]);
    await teardown.run();
    expect(done).toEqual(['manifests', 'portal']);
  });

  it('goes on after a step that fails', async () => {
    const done: string[] = [];
    const teardown = new Teardown();
    teardown.add(() => done.push('lab'));
    teardown.add(() => {
      throw new Error('browser already gone');
    });
    await teardown.run();
    expect(done).toEqual(['lab']);
  });

  it('undoes a thing whose creation was under way when the stop came, and stops the start there', async () => {
    const disposed: string[] = [];
    const teardown = new Teardown();
    let finish!: (name: string) => void;
    const creating = new Promise<string>((resolve) => (finish = resolve));
    const started = teardown.track(creating, (name) => disposed.push(name));
    const stopping = teardown.run();
    finish('pcscd');
    await stopping;
    expect(disposed).toEqual(['pcscd']);
    await expect(started).rejects.toBeInstanceOf(DemoStoppedError);
  });

  it('hands over what was created while no stop is asked', async () => {
    const teardown = new Teardown();
    await expect(teardown.track(Promise.resolve(7), () => undefined)).resolves.toBe(7);
    expect(teardown.begun).toBe(false);
  });
});
