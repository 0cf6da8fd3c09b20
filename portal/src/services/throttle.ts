/**
 * "At most once per interval per portal" for housekeeping that rides on requests (purging old nonces
 * and sessions), so that a request pays for it rarely. Keyed by the portal's config object, which a
 * transaction's context shares with the portal's own.
 */
export function oncePer(intervalMs: number): (key: object, nowMs: number) => boolean {
  const last = new WeakMap<object, number>();
  return (key, nowMs) => {
    const previous = last.get(key);
    if (previous !== undefined && Math.abs(nowMs - previous) < intervalMs) return false;
    last.set(key, nowMs);
    return true;
  };
}
