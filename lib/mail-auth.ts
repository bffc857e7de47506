/**
 * What the receiving relay found about a message's sender (RFC 8601 `Authentication-Results`):
 * SPF, DKIM and DMARC results, and a verdict — `pass` (the domain vouches for the sender),
 * `fail` (it says the sender is forged) or `none` (nothing known: no relay, or no result).
 */
export interface MailAuthentication {
  /** The header the verdict rests on, as received; null when there is none to trust. */
  header: string | null;
  spf?: string;
  dkim?: string;
  dmarc?: string;
  verdict: 'pass' | 'fail' | 'none';
}

const authservIdOf = (value: string) => value.split(';')[0].trim().split(/\s+/)[0].toLowerCase();

/**
 * Reads the `Authentication-Results` headers of a message (their values, topmost first). With
 * `trustedAuthservId` only the header the operator's own relay added counts — anyone can write
 * such a header into a message; without it, the topmost one.
 */
export function readAuthenticationResults(values: string[], trustedAuthservId?: string): MailAuthentication {
  const unfolded = values.map((v) => v.replace(/\r?\n[ \t]+/g, ' ').trim());
  const header = trustedAuthservId
    ? unfolded.find((v) => authservIdOf(v) === trustedAuthservId.toLowerCase())
    : unfolded[0];
  if (!header) return { header: null, verdict: 'none' };
  const result = (method: string) =>
    new RegExp(`(?:^|[;\\s])${method}\\s*=\\s*([a-z]+)`, 'i')
      .exec(header.slice(header.indexOf(';') + 1))?.[1]
      ?.toLowerCase();
  const [spf, dkim, dmarc] = [result('spf'), result('dkim'), result('dmarc')];
  return { header, spf, dkim, dmarc, verdict: verdictOf(spf, dkim, dmarc) };
}

function verdictOf(spf?: string, dkim?: string, dmarc?: string): MailAuthentication['verdict'] {
  if (dmarc === 'pass' || dkim === 'pass') return 'pass';
  if (dmarc === 'fail') return 'fail';
  if (spf === 'pass') return 'pass';
  if (spf === 'fail' || spf === 'softfail' || dkim === 'fail') return 'fail';
  return 'none';
}
