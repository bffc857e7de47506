import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface PostgresProcess {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** A real embedded PostgreSQL in a child process, so a test can stop and start it. */
export async function startPostgresProcess(options: {
  dir: string;
  port: number;
  database: string;
}): Promise<PostgresProcess> {
  let child: ChildProcess | undefined;
  let url = '';
  const start = () =>
    new Promise<void>((resolve, reject) => {
      child = spawn(
        path.join(ROOT, 'node_modules/.bin/tsx'),
        [
          'ops/services/postgres-cli.ts',
          '--dir',
          options.dir,
          '--port',
          String(options.port),
          '--database',
          options.database,
          '--fast',
        ],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk;
        const ready = /READY (\S+)/.exec(output);
        if (ready) {
          url = ready[1];
          resolve();
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
      child.once('exit', (code) => reject(new Error(`postgres-cli exited with ${code}: ${output}`)));
    });
  const stop = async () => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
    });
  };
  await start();
  return {
    get url() {
      return url;
    },
    start,
    stop,
  };
}
