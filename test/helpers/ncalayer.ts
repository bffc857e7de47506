import { WebSocketServer, type WebSocket } from 'ws';
import { signCms, type TestCa, type TestSigner } from './pki';

/**
 * A local stand-in for NCALayer (the NCA RK's signing program): a WebSocket server speaking NCALayer's
 * protocol as `ncalayer-js-client` uses it — the version greeting, a refused KAZTOKEN probe
 * (`kz.digiflow.mobile.extensions`), `kz.gov.pki.knca.basics` `sign` with format `cms` — and signing with
 * a real test key of the throwaway PKI: the key the "person" chose in NCALayer's window is `keys.sign`
 * for signing keys (extKeyUsage emailProtection asked) and `keys.auth` for authentication keys (clientAuth).
 * The browser's page is served NCALAYER_URL = the stand-in's `url` (ws:// on this host).
 */
export interface NcaLayerStandIn {
  url: string;
  /** Every request the page sent, parsed, in order. */
  requests: Array<{ module: string; method: string; args?: Record<string, unknown> }>;
  /** What the next `sign` does: sign (default), the person cancels, or NCALayer refuses. */
  next: 'sign' | 'cancel' | 'refuse';
  /** The keys the person would choose; may be changed between signings (another employee's token). */
  keys: { sign?: TestSigner; auth?: TestSigner };
  close(): Promise<void>;
}

const AUTH_OID = '1.3.6.1.5.5.7.3.2';

export async function startNcaLayerStandIn(options: {
  keys: { sign?: TestSigner; auth?: TestSigner };
  chain?: TestCa[];
}): Promise<NcaLayerStandIn> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const address = server.address() as { port: number };
  const standIn: NcaLayerStandIn = {
    url: `ws://127.0.0.1:${address.port}`,
    requests: [],
    next: 'sign',
    keys: { ...options.keys },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };

  const answer = (socket: WebSocket, body: unknown) => socket.send(JSON.stringify(body));

  async function sign(socket: WebSocket, args: Record<string, any>) {
    const outcome = standIn.next;
    standIn.next = 'sign';
    if (outcome === 'cancel') return answer(socket, { status: true, body: {} });
    if (outcome === 'refuse')
      return answer(socket, {
        status: false,
        code: '500',
        message: 'Хранилище ключей недоступно',
        details: 'stand-in refusal',
      });
    if (args.format !== 'cms')
      return answer(socket, {
        status: false,
        code: '400',
        message: 'Only CMS is supported by the stand-in',
        details: String(args.format),
      });
    const oids: string[] = args.signerParams?.extKeyUsageOids ?? [];
    const key = oids.includes(AUTH_OID) ? standIn.keys.auth : standIn.keys.sign;
    if (!key) return answer(socket, { status: false, code: '404', message: 'Ключ не найден', details: oids.join(',') });
    const documents: string[] = Array.isArray(args.data) ? args.data : [args.data];
    const params = args.signingParams ?? {};
    const signatures = await Promise.all(
      documents.map(async (data) => {
        const bytes = params.decode === false ? Buffer.from(String(data), 'utf8') : Buffer.from(String(data), 'base64');
        const cms = await signCms(key, new Uint8Array(bytes), {
          detached: params.encapsulate === false,
          includeChain: options.chain,
        });
        return Buffer.from(cms).toString('base64');
      }),
    );
    answer(socket, { status: true, body: { result: signatures } });
  }

  server.on('connection', (socket) => {
    answer(socket, { result: { version: '1.4' } });
    socket.on('message', (raw) => {
      let request: { module: string; method: string; args?: Record<string, unknown> };
      try {
        request = JSON.parse(String(raw));
      } catch {
        return answer(socket, { code: '500', message: 'Bad request' });
      }
      standIn.requests.push(request);
      if (request.module === 'kz.gov.pki.knca.basics' && request.method === 'sign') {
        sign(socket, request.args ?? {}).catch((error) =>
          answer(socket, { status: false, code: '500', message: String(error), details: '' }),
        );
        return;
      }
      // No KAZTOKEN here, nor any other module: refused as NCALayer refuses an unknown module.
      answer(socket, { code: '500', message: `Module ${request.module} is not installed` });
    });
  });
  return standIn;
}
