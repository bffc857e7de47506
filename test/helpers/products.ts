import type { TestApi } from './api';

/**
 * The 12-digit GS1 company prefix a GTIN-14 lies under (its GTIN-13 without the check digit): a
 * prefix only that GTIN's item numbers share, so tests with random GTINs never collide.
 */
export const gs1PrefixOf = (gtin14: string) => gtin14.slice(1, 13);

/**
 * Records, through the staff route, the GS1 company prefix of `gtin14` for the client, so the
 * client's right to that GTIN is accepted when it registers it (issue #16).
 */
export async function recordGs1PrefixFor(
  api: Pick<TestApi, 'request'>,
  staffToken: string,
  clientId: string,
  gtin14: string,
) {
  const recorded = await api.request('POST', `/staff/v1/clients/${clientId}/gs1-prefixes`, {
    token: staffToken,
    body: { prefix: gs1PrefixOf(gtin14), evidenceNote: 'GS1 Kazakhstan certificate seen (test)' },
  });
  if (recorded.status !== 201)
    throw new Error(`recording the GS1 prefix of ${gtin14}: ${recorded.status} ${JSON.stringify(recorded.body)}`);
  return recorded.body;
}

/**
 * Registers a product through the client API with its right accepted: its GS1 company prefix is
 * recorded for the client first (staff route), so the registration answers `accepted`.
 */
export async function registerAcceptedProduct(
  api: Pick<TestApi, 'request'>,
  p: {
    staffToken: string;
    clientId: string;
    clientToken: string;
    gtin: string;
    name: string;
    attributes?: Record<string, string>;
    sentGtin?: string;
  },
) {
  await recordGs1PrefixFor(api, p.staffToken, p.clientId, p.gtin);
  const registered = await api.request('POST', '/client/v1/products', {
    token: p.clientToken,
    body: { gtin: p.sentGtin ?? p.gtin, name: p.name, ...(p.attributes ? { attributes: p.attributes } : {}) },
  });
  if (registered.status === 201 && registered.body.rights?.status !== 'accepted')
    throw new Error(`product ${p.gtin} registered as ${registered.body.rights?.status}`);
  return registered;
}

/**
 * Columns that make a product inserted directly (fixtures that bypass the API) orderable: accepted
 * as `legacy`, the basis of products that predate the rights check. Tests of the rights themselves
 * go through the API.
 */
export const acceptedProduct = () => ({
  rights_status: 'accepted',
  rights_basis: 'legacy',
  rights_decided_at: new Date(),
});
