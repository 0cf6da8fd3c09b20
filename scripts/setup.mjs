// `npm run setup`: only the preparation that `npm start` and `npm test` do first.
import { preflight } from './preflight.mjs';

preflight();
