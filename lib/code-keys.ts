import path from 'node:path';
import { KeyRing, loadOrCreateKeyRing, parseKeyRing } from './codes/keys';
import type { Config } from './config';

/** The verification keys of marking codes: CODE_KEYS, else the key ring kept in DATA_DIR (made on first start). */
export function codeKeysFor(config: Pick<Config, 'codeKeys' | 'dataDir'>): KeyRing {
  return config.codeKeys ? parseKeyRing(config.codeKeys) : loadOrCreateKeyRing(path.join(config.dataDir, 'code-keys'));
}
