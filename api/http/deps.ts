import type { Client, Connection } from '@temporalio/client';
import type { CopyPool } from '../../db/copy-pool';
import type { Db } from '../../db/connection';
import type { Clock } from '../../lib/clock';
import type { KeyRing } from '../../lib/codes';
import type { EdsVerifier } from '../../lib/eds';
import type { Config } from '../../lib/config';
import type { Logger } from '../../lib/logger';
import type { OperatorSigner } from '../../lib/operator-signature';

/** Everything the API needs, given to buildApp so tests pass real services. */
export interface AppDeps {
  config: Pick<Config, 'bodyLimit' | 'temporalTaskQueue' | 'publicUrl' | 'operatorTimeZone'> &
    Partial<
      Pick<
        Config,
        | 'manualCreditApprovalTiyn'
        | 'oidcIssuer'
        | 'oidcClientId'
        | 'oidcClientSecret'
        | 'staffSessionMinutes'
        | 'ncaLayerUrl'
        | 'clientSessionMinutes'
        | 'uploadBodyLimit'
        | 'rateLimitPublicPerMinute'
        | 'rateLimitTokenPerMinute'
        | 'trustProxy'
        | 'metricsToken'
        | 'authCacheSeconds'
        | 'downloadStreams'
      >
    >;
  db: Db;
  temporal: { client: Client; connection: Connection };
  clock: Clock;
  logger: Logger;
  /** Verifies client EDS signatures (join applications). */
  eds: EdsVerifier;
  /** Verifies the verification codes (AI 92) of marking codes. */
  codeKeys?: KeyRing;
  /** Signs what the operator attests (the order station's receipts). */
  operatorSigner: OperatorSigner;
  /** The codes CSV/JSON downloads' own connections (db/copy-pool.ts); buildApp makes them when not given. */
  downloads?: CopyPool;
}
