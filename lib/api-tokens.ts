import { createHash, randomBytes } from 'node:crypto';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new secret token; only its SHA-256 is stored. */
export const generateToken = (kind: 'client' | 'staff') => `ismet_${kind}_${randomBytes(32).toString('base64url')}`;

/**
 * What a client token may do: `station` — the order station's API (/api/v2), what an integrator
 * pastes into its software; `cabinet_read` — read the cabinet; `cabinet` — the whole cabinet.
 */
export const TOKEN_SCOPES = ['station', 'cabinet_read', 'cabinet'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** The scope a request needs: the order station's routes `station`; reading `cabinet_read`; anything else `cabinet`. */
export function requiredScope(method: string, url: string): TokenScope {
  if (url.startsWith('/api/v2/')) return 'station';
  return method === 'GET' || method === 'HEAD' ? 'cabinet_read' : 'cabinet';
}

/** A client token lives a year unless asked otherwise: rotated before, it never stops an integration. */
export const DEFAULT_TOKEN_DAYS = 365;
export const tokenExpiry = (now: Date, days = DEFAULT_TOKEN_DAYS) => new Date(now.getTime() + days * 86_400_000);

/** Whether a token's scopes cover the one needed (the whole cabinet includes reading it). */
export const scopeAllows = (scopes: readonly string[], needed: TokenScope) =>
  scopes.includes(needed) || (needed === 'cabinet_read' && scopes.includes('cabinet'));
