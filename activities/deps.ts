import type { CalendarSettings } from '../lib/calendar';
import type { KeyRing } from '../lib/codes';
import type { Clock } from '../lib/clock';
import type { EdsVerifier } from '../lib/eds';
import type { Mailer } from '../lib/mailer';
import type { OperatorSigner } from '../lib/operator-signature';
import type { Db } from '../db/connection';

/** What activities may touch. Tests pass real ones (PostgreSQL, an SMTP receiver). */
export interface ActivityDeps {
  db: Db;
  mailer: Mailer;
  clock: Clock;
  /** The operator's zone and working hours; default Astana time, 09:00-18:00. */
  calendarSettings?: CalendarSettings;
  /** Verifies client EDS signatures (join applications). */
  eds?: EdsVerifier;
  /** Keys of the marking codes' verification codes; the current one signs new codes. */
  codeKeys?: KeyRing;
  /** Signs the documents the operator issues (acts, VAT invoices). */
  operatorSigner?: OperatorSigner;
  /** External base URL of the API, for links in e-mails. */
  publicUrl?: string;
  /**
   * The support address (whose SMTP listener takes tickets): `Reply-To` of the e-mails about a
   * ticket. Default: `support@` the domain of the mailer's From (lib/mailer.ts supportAddressFor).
   */
  supportAddress?: string;
}
