import { webcrypto } from 'node:crypto';
import * as pkijs from 'pkijs';

type EngineCrypto = ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'];

// pkijs keeps one engine per process; every EDS module imports this file so that pkijs
// never falls back to guessing a global crypto.
pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as EngineCrypto }));

export const engine = pkijs.getCrypto(true);
