import { describe, expect, it } from 'vitest';
import { demoBanner } from '../../../demo/banner.ts';
import { DEMO_NHI_CARD } from '../../../lab/cards/nhiCardApplet.ts';
import { LAB_TOKENS } from '../../../lab/softhsm.ts';

const origin = 'http://127.0.0.1:8780';

describe("npm start's banner", () => {
  it("names the lab's NHI card and its holder when the lab's card is in use", () => {
    const text = demoBanner(origin, 'lab', LAB_TOKENS).join('\n');
    expect(text).toContain(DEMO_NHI_CARD.cardNumber);
    expect(text).toContain(`${DEMO_NHI_CARD.name} ${DEMO_NHI_CARD.cardNumber}`);
  });

  it("does not name the lab's NHI card when this computer's readers are used, and says how to switch", () => {
    const text = demoBanner(origin, 'readers', LAB_TOKENS).join('\n');
    expect(text).not.toContain(DEMO_NHI_CARD.cardNumber);
    expect(text).not.toContain(`${DEMO_NHI_CARD.name} ${DEMO_NHI_CARD.cardNumber}`);
    expect(text).toContain('--lab-cards');
  });

  it("lists every token it is given with its PIN, and the portal's address", () => {
    const text = demoBanner(origin, 'readers', LAB_TOKENS.slice(0, 1)).join('\n');
    expect(text).toContain(`"${LAB_TOKENS[0]!.label}": PIN ${LAB_TOKENS[0]!.pin}`);
    expect(text).not.toContain(LAB_TOKENS[1]!.label);
    expect(text).toContain(origin);
  });
});
