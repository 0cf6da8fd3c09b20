/**
 * The computer's clock against the portal's: logins carry 5-minute nonces and certificates are
 * checked against the time, so a clock that is minutes off makes logins fail in ways a clerk cannot
 * see. The portal's time comes from its health route (JSON `time`) or, failing that, its Date header.
 */
export interface ClockCheck {
  portal: string;
  /** Local minus portal time, in seconds (positive: this computer is ahead). */
  skewSeconds?: number;
  error?: 'unreachable' | 'no-time';
}

const TIMEOUT_MS = 3_000;

async function serverTime(response: Response): Promise<number | undefined> {
  if (response.ok && (response.headers.get('content-type') ?? '').includes('json')) {
    const body = (await response.json().catch(() => undefined)) as { time?: unknown } | undefined;
    const time = typeof body?.time === 'string' ? Date.parse(body.time) : NaN;
    if (Number.isFinite(time)) return time;
  }
  const date = Date.parse(response.headers.get('date') ?? '');
  return Number.isFinite(date) ? date : undefined;
}

export async function checkClock(
  portal: string,
  fetchImpl: typeof fetch = fetch,
  now: () => number = Date.now,
): Promise<ClockCheck> {
  const started = now();
  let response: Response;
  try {
    response = await fetchImpl(new URL('/api/health', portal), {
      cache: 'no-store',
      credentials: 'omit',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    return { portal, error: 'unreachable' };
  }
  // The server's time is taken half-way through the round trip.
  const local = (started + now()) / 2;
  const time = await serverTime(response);
  if (time === undefined) return { portal, error: 'no-time' };
  return { portal, skewSeconds: Math.round((local - time) / 1000) };
}
