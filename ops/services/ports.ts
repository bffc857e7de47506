import net from 'node:net';

/** Ports handed out by this process: the system may offer a just-closed port again. */
const handedOut = new Set<number>();

/**
 * A TCP port nothing listened on a moment ago — for an external process that must be told its
 * port up front and does not report one it picked itself: PostgreSQL (`-p`), the Temporal CLI's
 * dev server (`--port`, `--ui-port`; a test restarts it on the same address), and `npm start`'s
 * environment (PORT, EMBEDDED_PG_PORT, TEMPORAL_DEV_PORT, …). The port is closed again before the
 * process binds it, so another process may take it in between: a server the tests start in this
 * process listens on port 0 instead and reports the port it got (the tests' SMTP receiver, the API,
 * the support mail listener). Never the same port twice per process.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.unref();
      server.on('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}
