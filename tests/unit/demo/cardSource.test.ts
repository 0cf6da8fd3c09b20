import { describe, expect, it } from 'vitest';
import { CardSourceError, chooseCardSource } from '../../../demo/cardSource.ts';

const readers = () => true;
const noReaders = () => false;

describe("the demo's card source", () => {
  it('takes the readers of this computer when there are some, else the lab', () => {
    expect(chooseCardSource([], {}, readers)).toBe('readers');
    expect(chooseCardSource([], {}, noReaders)).toBe('lab');
  });

  it('takes the lab when asked, even with readers here', () => {
    expect(chooseCardSource(['--lab-cards'], {}, readers)).toBe('lab');
    expect(chooseCardSource([], { CARDBRIDGE_DEMO_CARDS: 'lab' }, readers)).toBe('lab');
  });

  it('takes the readers when asked, even with none plugged in yet', () => {
    expect(chooseCardSource(['--reader-cards'], {}, noReaders)).toBe('readers');
    expect(chooseCardSource([], { CARDBRIDGE_DEMO_CARDS: 'readers' }, noReaders)).toBe('readers');
  });

  it('lets the command line win over the environment', () => {
    expect(chooseCardSource(['--lab-cards'], { CARDBRIDGE_DEMO_CARDS: 'readers' }, readers)).toBe('lab');
  });

  it('refuses an unknown choice instead of guessing', () => {
    expect(() => chooseCardSource([], { CARDBRIDGE_DEMO_CARDS: 'virtual' }, readers)).toThrow(
      CardSourceError,
    );
  });
});
