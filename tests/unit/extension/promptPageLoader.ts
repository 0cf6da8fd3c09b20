/// <reference lib="dom" />
/** Loads the prompt page afresh in jsdom (the page renders itself when its module is imported). */
import { act } from 'preact/test-utils';
import { vi } from 'vitest';

const PROMPT_PAGE = '../../../extension/pages/prompt/';

/** Renders the prompt page for prompt `id` as a fresh module (the caller's mocks apply). */
export async function loadPromptPage(id: string): Promise<void> {
  document.body.innerHTML = '<div id="app"></div>';
  location.hash = id;
  vi.resetModules();
  await act(async () => {
    // A .tsx page: loaded by a path tsc does not follow (the root tsconfig does not compile JSX).
    await import(`${PROMPT_PAGE}main.tsx`);
  });
}
