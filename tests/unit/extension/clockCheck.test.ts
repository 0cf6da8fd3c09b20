/**
 * The self-check's clock comparison with the portal: the portal's time from its health route (JSON
 * `time`) or its Date header, compared with the local time half-way through the round trip.
 */
import { describe, expect, it, vi } from 'vitest';
import { checkClock } from '../../../extension/background/clockCheck.ts';

const PORTAL = 'https://portal.example.tw';
const PORTAL_TIME = Date.parse('2025-03-01T08:00:00.000Z');

const json = (body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });

/** A fetch that answers `response` and records how it was called. */
const fetchWith = (response: Response | (() => Promise<Response>)) =>
  vi.fn((_input: RequestInfo | URL, _init?: RequestInit) =>
    typeof response === 'function' ? response() : Promise.resolve(response),
  );

/** The address fetch was asked for, whatever form it was given in. */
const address = (input: RequestInfo | URL) =>
  input instanceof URL ? input.href : typeof input === 'string' ? input : input.url;

/** A clock that reads `values` one after the other (start of the request, then its end). */
const clock = (...values: number[]) => {
  const now = vi.fn(() => {
    const value = values.shift();
    if (value === undefined) throw new Error('now() called more often than expected');
    return value;
  });
  return now;
};

describe('checkClock: the request', () => {
  it('asks GET <portal>/api/health without credentials', async () => {
    const fetchImpl = fetchWith(json({ time: new Date(PORTAL_TIME).toISOString() }));
    await checkClock(PORTAL, fetchImpl, clock(PORTAL_TIME, PORTAL_TIME));
    expect(fetchImpl).toHaveBeenCalledTimes(1);
    const [input, init] = fetchImpl.mock.calls[0]!;
    expect(address(input)).toBe(`${PORTAL}/api/health`);
    expect(init?.credentials).toBe('omit');
    expect(init?.method ?? 'GET').toBe('GET');
    expect(init?.body).toBeUndefined();
  });

  it('asks the health route at the root even for a portal with a port', async () => {
    const fetchImpl = fetchWith(json({ time: new Date(PORTAL_TIME).toISOString() }));
    await checkClock('http://127.0.0.1:8780', fetchImpl, clock(0, 0));
    expect(address(fetchImpl.mock.calls[0]![0])).toBe('http://127.0.0.1:8780/api/health');
  });
});

describe('checkClock: where the portal time comes from', () => {
  it('uses the JSON `time` of the health route', async () => {
    // The Date header disagrees by an hour: the body wins.
    const response = json(
      { status: 'ok', time: new Date(PORTAL_TIME).toISOString() },
      { date: new Date(PORTAL_TIME - 3_600_000).toUTCString() },
    );
    const result = await checkClock(
      PORTAL,
      fetchWith(response),
      clock(PORTAL_TIME + 90_000, PORTAL_TIME + 90_000),
    );
    expect(result).toEqual({ portal: PORTAL, skewSeconds: 90 });
  });

  it('falls back to the Date header when the body has no time', async () => {
    const response = json({ status: 'ok' }, { date: new Date(PORTAL_TIME).toUTCString() });
    const result = await checkClock(
      PORTAL,
      fetchWith(response),
      clock(PORTAL_TIME + 120_000, PORTAL_TIME + 120_000),
    );
    expect(result).toEqual({ portal: PORTAL, skewSeconds: 120 });
  });

  it('falls back to the Date header when the body time is not a date', async () => {
    const response = json({ time: 'soon' }, { date: new Date(PORTAL_TIME).toUTCString() });
    const result = await checkClock(
      PORTAL,
      fetchWith(response),
      clock(PORTAL_TIME - 30_000, PORTAL_TIME - 30_000),
    );
    expect(result).toEqual({ portal: PORTAL, skewSeconds: -30 });
  });

  it('falls back to the Date header when the body is not JSON', async () => {
    const response = new Response('<html>ok</html>', {
      status: 200,
      headers: { 'content-type': 'text/html', date: new Date(PORTAL_TIME).toUTCString() },
    });
    const result = await checkClock(
      PORTAL,
      fetchWith(response),
      clock(PORTAL_TIME + 600_000, PORTAL_TIME + 600_000),
    );
    expect(result).toEqual({ portal: PORTAL, skewSeconds: 600 });
  });

  it('falls back to the Date header when a JSON content type carries broken JSON', async () => {
    const response = new Response('{"time": ', {
      status: 200,
      headers: { 'content-type': 'application/json', date: new Date(PORTAL_TIME).toUTCString() },
    });
    const result = await checkClock(PORTAL, fetchWith(response), clock(PORTAL_TIME, PORTAL_TIME));
    expect(result).toEqual({ portal: PORTAL, skewSeconds: 0 });
  });

  it('gives error no-time when the response has neither a time nor a Date header', async () => {
    const result = await checkClock(
      PORTAL,
      fetchWith(json({ status: 'ok' })),
      clock(PORTAL_TIME, PORTAL_TIME),
    );
    expect(result).toEqual({ portal: PORTAL, error: 'no-time' });
    expect(result.skewSeconds).toBeUndefined();
  });

  it("uses the Date header of a portal without the health route (NHI's own servers answer 404)", async () => {
    const response = new Response('not found', {
      status: 404,
      headers: { 'content-type': 'application/json', date: new Date(PORTAL_TIME).toUTCString() },
    });
    const result = await checkClock(
      PORTAL,
      fetchWith(response),
      clock(PORTAL_TIME - 90_000, PORTAL_TIME - 90_000),
    );
    expect(result).toEqual({ portal: PORTAL, skewSeconds: -90 });
  });

  it('gives error no-time for a non-JSON response without a Date header', async () => {
    const response = new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
    const result = await checkClock(PORTAL, fetchWith(response), clock(PORTAL_TIME, PORTAL_TIME));
    expect(result).toEqual({ portal: PORTAL, error: 'no-time' });
  });
});

describe('checkClock: the skew', () => {
  const at = (local: number) =>
    checkClock(PORTAL, fetchWith(json({ time: new Date(PORTAL_TIME).toISOString() })), clock(local, local));

  it('is positive when this computer is ahead of the portal', async () => {
    expect((await at(PORTAL_TIME + 400_000)).skewSeconds).toBe(400);
  });

  it('is negative when this computer is behind the portal', async () => {
    expect((await at(PORTAL_TIME - 400_000)).skewSeconds).toBe(-400);
  });

  it('is zero for the same time, and rounded to whole seconds', async () => {
    expect((await at(PORTAL_TIME)).skewSeconds).toBe(0);
    expect((await at(PORTAL_TIME + 1_400)).skewSeconds).toBe(1);
    expect((await at(PORTAL_TIME + 1_600)).skewSeconds).toBe(2);
  });

  it('compares with the local time half-way through the round trip', async () => {
    // Request sent 10 s before the portal's time, answer read 10 s after: the clocks agree.
    const now = clock(PORTAL_TIME - 10_000, PORTAL_TIME + 10_000);
    const result = await checkClock(
      PORTAL,
      fetchWith(json({ time: new Date(PORTAL_TIME).toISOString() })),
      now,
    );
    expect(result).toEqual({ portal: PORTAL, skewSeconds: 0 });
    expect(now).toHaveBeenCalledTimes(2);
  });

  it('takes the midpoint, not the start or the end, of a slow round trip', async () => {
    // Start: 100 s ahead; end: 200 s ahead; midpoint: 150 s ahead.
    const result = await checkClock(
      PORTAL,
      fetchWith(json({ time: new Date(PORTAL_TIME).toISOString() })),
      clock(PORTAL_TIME + 100_000, PORTAL_TIME + 200_000),
    );
    expect(result.skewSeconds).toBe(150);
  });

  it('reads the second time only once the response has arrived', async () => {
    const now = clock(PORTAL_TIME, PORTAL_TIME + 60_000);
    const fetchImpl = vi.fn(() => {
      // Nothing but the start has been read while the request is on its way.
      expect(now).toHaveBeenCalledTimes(1);
      return Promise.resolve(json({ time: new Date(PORTAL_TIME + 30_000).toISOString() }));
    });
    const result = await checkClock(PORTAL, fetchImpl, now);
    expect(result.skewSeconds).toBe(0);
    expect(fetchImpl).toHaveBeenCalledTimes(1);
  });
});

describe('checkClock: an unreachable portal', () => {
  it('gives error unreachable when fetch rejects', async () => {
    const fetchImpl = fetchWith(() => Promise.reject(new TypeError('Failed to fetch')));
    const result = await checkClock(PORTAL, fetchImpl, clock(0, 0));
    expect(result).toEqual({ portal: PORTAL, error: 'unreachable' });
  });

  it('gives error unreachable when the request times out', async () => {
    const fetchImpl = fetchWith(() =>
      Promise.reject(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    );
    const result = await checkClock(PORTAL, fetchImpl, clock(0, 0));
    expect(result).toEqual({ portal: PORTAL, error: 'unreachable' });
  });

  it('passes an abort signal so that a hanging portal cannot stall the self-check', async () => {
    const fetchImpl = fetchWith(json({ time: new Date(PORTAL_TIME).toISOString() }));
    await checkClock(PORTAL, fetchImpl, clock(0, 0));
    expect(fetchImpl.mock.calls[0]![1]?.signal).toBeInstanceOf(AbortSignal);
  });
});
