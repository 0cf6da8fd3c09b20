import { render } from 'preact';
import { initI18n } from '../../lib/i18n.ts';
import { SelfCheck } from './SelfCheck.tsx';

void initI18n().then(() => {
  render(<SelfCheck />, document.getElementById('app')!);
});
