/** Hot-plug through the built host: card and reader changes, and pcscd going away and coming back. */
import { afterEach, describe, expect, it } from 'vitest';
import { Lab } from '../../lab/lab.ts';
import { DEMO_NHI_CARD, NhiCardApplet } from '../../lab/cards/nhiCardApplet.ts';
import { HostProcess } from './helpers/hostProcess.ts';

let lab: Lab | undefined;
let host: HostProcess | undefined;
afterEach(async () => {
  await host?.close();
  await lab?.stop();
  host = lab = undefined;
});

const present = (name: string) => (d: { readers: Array<{ name: string; cardPresent: boolean }> }) =>
  d.readers.some((r) => r.name === name && r.cardPresent);
const absent = (name: string) => (d: { readers: Array<{ name: string; cardPresent: boolean }> }) =>
  d.readers.some((r) => r.name === name && !r.cardPresent);

async function subscribedHost(env: Record<string, string>): Promise<HostProcess> {
  const h = new HostProcess({ env });
  expect((await h.request('events.subscribe')).result).toMatchObject({ subscribed: true });
  return h;
}

describe('readers-changed events', () => {
  it('sends no event before events.subscribe', async () => {
    lab = await Lab.start();
    host = new HostProcess({ env: lab.env });
    await host.request('status');
    const card = lab.card(new NhiCardApplet(), lab.slot(0));
    await card.insert();
    await new Promise((r) => setTimeout(r, 1200));
    expect(host.messages.filter((m) => m.event)).toEqual([]);
  });

  it('pushes a card inserted and removed, with its type, without being asked', async () => {
    lab = await Lab.start();
    host = await subscribedHost(lab.env);
    await host.request('status');
    const reader = lab.slot(0).reader;
    const card = lab.card(new NhiCardApplet(), lab.slot(0));

    const inserted = host.nextReadersChanged(present(reader));
    await card.insert();
    const data = await inserted;
    expect(data.readers.find((r) => r.name === reader)?.card?.type).toBe('nhi');

    const removed = host.nextReadersChanged(absent(reader));
    await card.remove();
    await removed;
  });

  it('reports a reader that appears and disappears', async () => {
    lab = await Lab.start();
    host = await subscribedHost(lab.env);
    await host.request('status');
    const hotplug = lab.slot(0, 'hotplug').reader;
    const has = (d: { readers: Array<{ name: string }> }) => d.readers.some((r) => r.name === hotplug);

    const appeared = host.nextReadersChanged((d) => d.pcsc.available && has(d));
    await lab.setHotplugReader(true);
    await appeared;
    const status = (await host.request('status')).result as { readers: Array<{ name: string }> };
    expect(status.readers.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        lab.slot(0).reader,
        lab.slot(1).reader,
        hotplug,
        lab.slot(1, 'hotplug').reader,
      ]),
    );

    const gone = host.nextReadersChanged((d) => d.pcsc.available && !has(d) && d.readers.length === 2);
    await lab.setHotplugReader(false);
    await gone;
  });
});

describe('the PC/SC service', () => {
  it('shows pcsc unavailable with the reason when pcscd is not running, and recovers when it starts', async () => {
    lab = await Lab.start();
    const card = lab.card(new NhiCardApplet(), lab.slot(0));
    await card.insert();
    await lab.pcscd.stop();

    host = await subscribedHost(lab.env);
    const status = (await host.request('status')).result as {
      pcsc: { available: boolean; error?: string };
      readers: unknown[];
    };
    expect(status.pcsc.available).toBe(false);
    expect(status.pcsc.error).toMatch(/Service not available|0x8010001d/i);
    expect(status.readers).toEqual([]);
    expect((await host.request('nhi.readBasic')).error?.code).toBe('ERR_PCSC_UNAVAILABLE');

    const back = host.nextReadersChanged((d) => d.pcsc.available && present(lab!.slot(0).reader)(d), 10_000);
    await lab.pcscd.start();
    await back;
    expect((await host.request('nhi.readBasic')).result).toMatchObject({
      cardNumber: DEMO_NHI_CARD.cardNumber,
    });
  });

  it('survives pcscd stopping under a running host and serves again when it returns', async () => {
    lab = await Lab.start();
    const card = lab.card(new NhiCardApplet(), lab.slot(0));
    await card.insert();
    host = await subscribedHost(lab.env);
    await host.waitFor((m) => m.event === 'readers-changed' && present(lab!.slot(0).reader)(m.data as never));
    expect((await host.request('nhi.readBasic')).result).toMatchObject({ idNumber: DEMO_NHI_CARD.idNumber });

    const down = host.nextReadersChanged((d) => !d.pcsc.available);
    await lab.pcscd.stop();
    const downData = await down;
    expect(downData.readers).toEqual([]);
    expect((await host.request('nhi.readBasic')).error?.code).toBe('ERR_PCSC_UNAVAILABLE');
    expect((await host.request('version')).result).toMatchObject({ protocol: 1 });

    const up = host.nextReadersChanged((d) => d.pcsc.available && present(lab!.slot(0).reader)(d), 10_000);
    await lab.pcscd.start();
    await up;
    expect((await host.request('nhi.readBasic')).result).toMatchObject({ idNumber: DEMO_NHI_CARD.idNumber });
    expect(host.child.exitCode).toBeNull();
  });

  it('gives ERR_NO_READER when the service runs without readers', async () => {
    lab = await Lab.start();
    await lab.pcscd.stop();
    await lab.pcscd.start([]);
    host = new HostProcess({ env: lab.env });
    const status = (await host.request('status')).result as {
      pcsc: { available: boolean };
      readers: unknown[];
    };
    expect(status).toMatchObject({ pcsc: { available: true }, readers: [] });
    expect((await host.request('nhi.readBasic')).error?.code).toBe('ERR_NO_READER');
  });
});
