import { useTestApi } from './api';
import { createTestPki, type TestPki } from './joining';
import { startNcaLayerStandIn, type NcaLayerStandIn } from './ncalayer';

/**
 * The API as the cabinet's browser tests need it: EDS verified against a test PKI, browser sessions, and an NCALayer
 * stand-in whose URL the pages are served. The workflows a test lists in `workflows` are ended while the API is up.
 */
export function useCabinetApi(endedBecause = 'test over') {
  const cabinet = {
    pki: undefined as unknown as TestPki,
    standIn: undefined as unknown as NcaLayerStandIn,
    workflows: [] as string[],
  };
  // Declared before useTestApi: its hooks run after these (the stand-in first, the workflows ended before the API stops).
  beforeAll(async () => {
    cabinet.standIn = await startNcaLayerStandIn({ keys: {} });
  });
  afterAll(async () => {
    for (const workflowId of cabinet.workflows)
      await ctx.api.temporal.client.workflow
        .getHandle(workflowId)
        .terminate(endedBecause)
        .catch(() => undefined);
    await cabinet.standIn?.close();
  });
  const ctx = useTestApi({
    eds: async () => (cabinet.pki = await createTestPki()).verifier,
    browserSessions: true,
    ncaLayerUrl: () => cabinet.standIn.url,
  });
  return {
    ...cabinet,
    ctx,
    get pki() {
      return cabinet.pki;
    },
    get standIn() {
      return cabinet.standIn;
    },
  };
}
