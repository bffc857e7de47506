'use strict';
/*
 * Signing with EDS through NCALayer, the NCA RK's program on the user's computer (served at
 * /console/ncalayer.js, after /console/ncalayer-client.js — the `ncalayer-js-client` package — and
 * /console/console.js). The page's `ncalayer-url` meta names NCALayer's WebSocket (wss://127.0.0.1:13579
 * as NCALayer listens; the operator may configure another).
 *
 * ncaLayerSign(bytes or base64, { purpose }) → the CMS (base64, the document attached) of the key the
 * person chose in NCALayer's own window: a signing key (`sign`) for documents, an authentication key
 * (`auth`) for signing in, as Kazakhstan's portals ask.
 */

/** NCALayer's WebSocket, as the page was served. */
const ncaLayerUrl = () => document.querySelector('meta[name="ncalayer-url"]')?.content || 'wss://127.0.0.1:13579';

/** Bytes (Uint8Array / ArrayBuffer) or text as base64, which NCALayer takes. */
function toBase64(data) {
  if (typeof data === 'string') data = new TextEncoder().encode(data);
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** NCALayer's refusals in words a person can act on. */
function ncaLayerFailure(error) {
  if (error && error.canceledByUser) return Object.assign(new Error(msg('common.ncalayer.cancelled')), { code: 'NCALAYER_CANCELLED' });
  const text = String((error && error.message) || error || '');
  if (/Ошибка взаимодействия|закрыл соединение|WebSocket/i.test(text) || !text) {
    return Object.assign(new Error(msg('common.ncalayer.unavailable')), { code: 'NCALAYER_UNAVAILABLE' });
  }
  return Object.assign(new Error(`NCALayer: ${text}`), { code: 'NCALAYER_ERROR' });
}

/**
 * Signs `data` (the document's exact bytes, or their base64 when `base64` is true) through NCALayer: the
 * CMS SignedData with the document attached, as base64. Throws an Error with a Russian message.
 */
async function ncaLayerSign(data, { purpose = 'sign', base64 = false } = {}) {
  if (typeof NCALayerClient === 'undefined') throw Object.assign(new Error(msg('common.ncalayer.notLoaded')), { code: 'NCALAYER_UNAVAILABLE' });
  // The KAZTOKEN HTTP API is not asked (allowKmdHttpApi false): the page speaks to NCALayer only.
  const client = new NCALayerClient(ncaLayerUrl(), false);
  try {
    await client.connect();
  } catch (error) {
    throw ncaLayerFailure(error);
  }
  try {
    const signer = purpose === 'auth' ? NCALayerClient.basicsSignerAuthAny : NCALayerClient.basicsSignerSignAny;
    const cms = await client.basicsSignCMS(NCALayerClient.basicsStorageAll, base64 ? data : toBase64(data), NCALayerClient.basicsCMSParamsAttached, signer);
    return Array.isArray(cms) ? cms[0] : cms;
  } catch (error) {
    throw ncaLayerFailure(error);
  } finally {
    try { client.wsConnection && client.wsConnection.close(); } catch { /* closed already */ }
  }
}
