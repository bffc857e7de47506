import { createEdsVerifier } from '../../lib/eds';
import { startNcaLayerStandIn } from '../helpers/ncalayer';
import { createTestCa, issueSignerCertificate } from '../helpers/pki';

// The NCALayer stand-in the cabinet's browser tests sign through speaks NCALayer's protocol as the
// published client (`ncalayer-js-client`) uses it, and signs with a real test key: the CMS it gives
// verifies, with the key the request asked for (signing or authentication).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { NCALayerClient } = require('ncalayer-js-client');

test('ncalayer-js-client connects, signs a document (attached CMS) and an authentication challenge with the keys asked for; a cancel is a cancel', async () => {
  const ca = await createTestCa({ name: 'Тестовый НУЦ' });
  const sign = await issueSignerCertificate(ca, { iin: '900101300123', bin: '123456789012' });
  const auth = await issueSignerCertificate(ca, { iin: '900101300123', keyUsage: 'authentication' });
  const standIn = await startNcaLayerStandIn({ keys: { sign, auth } });
  const verifier = createEdsVerifier({ trustedCertificates: [ca.certificatePem] });
  try {
    const document = Buffer.from('{"акт":"№ 1"}', 'utf8');
    const client = new NCALayerClient(standIn.url, false);
    expect(await client.connect()).toBe('1.4');
    const cms: string = await client.basicsSignCMS(
      NCALayerClient.basicsStorageAll,
      document.toString('base64'),
      NCALayerClient.basicsCMSParamsAttached,
      NCALayerClient.basicsSignerSignAny,
    );
    const signed = await verifier.verify({ document, signature: cms, expectedBinIin: '123456789012', at: new Date() });
    expect(signed.problems).toEqual([]);
    expect(signed.signer).toMatchObject({ iin: '900101300123', bin: '123456789012' });

    const challenge = Buffer.from('вход 42', 'utf8');
    const authCms: string = await client.basicsSignCMS(
      NCALayerClient.basicsStorageAll,
      challenge.toString('base64'),
      NCALayerClient.basicsCMSParamsAttached,
      NCALayerClient.basicsSignerAuthAny,
    );
    const signedIn = await verifier.verify({
      document: challenge,
      signature: authCms,
      expectedBinIin: '900101300123',
      at: new Date(),
    });
    expect(signedIn.signer).toMatchObject({ iin: '900101300123' });
    expect(signedIn.signer!.bin).toBeUndefined();

    standIn.next = 'cancel';
    await expect(
      client.basicsSignCMS(
        NCALayerClient.basicsStorageAll,
        challenge.toString('base64'),
        NCALayerClient.basicsCMSParamsAttached,
        NCALayerClient.basicsSignerSignAny,
      ),
    ).rejects.toMatchObject({ canceledByUser: true });
    client.wsConnection.close();
    expect(
      standIn.requests
        .filter((r) => r.method === 'sign')
        .map((r) => (r.args!.signerParams as { extKeyUsageOids: string[] }).extKeyUsageOids),
    ).toEqual([['1.3.6.1.5.5.7.3.4'], ['1.3.6.1.5.5.7.3.2'], ['1.3.6.1.5.5.7.3.4']]);
  } finally {
    await standIn.close();
  }
});
