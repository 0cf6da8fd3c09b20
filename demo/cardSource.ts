/**
 * Where the demo's NHI card comes from: the lab's virtual card, or the readers of this computer.
 * Chosen by `--lab-cards` / `--reader-cards` or CARDBRIDGE_DEMO_CARDS=lab|readers; without a choice,
 * the readers when a pcscd with readers runs here, else the lab.
 */
export type CardSource = 'lab' | 'readers';

export class CardSourceError extends Error {}

export function chooseCardSource(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  readersPresent: () => boolean,
): CardSource {
  const fromArgs = args.includes('--lab-cards')
    ? 'lab'
    : args.includes('--reader-cards')
      ? 'readers'
      : undefined;
  const fromEnv = env.CARDBRIDGE_DEMO_CARDS || undefined;
  if (fromEnv !== undefined && fromEnv !== 'lab' && fromEnv !== 'readers') {
    throw new CardSourceError(`CARDBRIDGE_DEMO_CARDS must be "lab" or "readers", not "${fromEnv}"`);
  }
  // The command line is the more immediate choice.
  return fromArgs ?? fromEnv ?? (readersPresent() ? 'readers' : 'lab');
}
