import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { CLI_TYPE_NAMES, SEARCH_ATTRIBUTES } from '../../lib/search-attributes';

export interface TemporalDevServerHandle {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

const REPO = path.resolve(__dirname, '../..');

/** The Temporal CLI that ops/install-temporal-cli.sh installed, or TEMPORAL_CLI_PATH. */
export function temporalCliPath(): string {
  const candidate = process.env.TEMPORAL_CLI_PATH ?? path.join(REPO, '.tools/bin/temporal');
  if (!fs.existsSync(candidate)) {
    throw new Error(
      `Temporal CLI not found at ${candidate}: run "bash ops/install-temporal-cli.sh" (npm start and npm test do)`,
    );
  }
  return candidate;
}

/**
 * Runs `temporal server start-dev` (Temporal server + Web UI in one process) and waits
 * until its frontend answers. With `dbFile` the state survives restarts.
 */
export async function startTemporalDevServer(options: {
  port: number;
  /** Omit for a headless server. */
  uiPort?: number;
  dbFile?: string;
  namespace?: string;
  log?: (line: string) => void;
  readyTimeoutMs?: number;
  /** More `--dynamic-config-value KEY=VALUE` settings, e.g. a low `limit.historyCount.suggestContinueAsNew` in a test. */
  dynamicConfig?: string[];
}): Promise<TemporalDevServerHandle> {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--log-level', 'warn'];
  args.push(...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']));
  if (options.dbFile) {
    fs.mkdirSync(path.dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  if (options.namespace && options.namespace !== 'default') args.push('--namespace', options.namespace);
  for (const key of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${key.name}=${CLI_TYPE_NAMES[key.type]}`);
  for (const flag of [
    'frontend.enableUpdateWorkflowExecution=true',
    'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
    ...(options.dynamicConfig ?? []),
  ]) {
    args.push('--dynamic-config-value', flag);
  }

  const child = spawn(temporalCliPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const onData = (chunk: Buffer) => {
    const text = chunk.toString();
    output = (output + text).slice(-4000);
    for (const line of text.split('\n')) if (line.trim()) options.log?.(line.trim());
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const address = `127.0.0.1:${options.port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(
        `Temporal dev server exited with code ${child.exitCode} (is port ${options.port} in use?):\n${output}`,
      );
    }
    if (await answers(address)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Temporal dev server did not answer on ${address} in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    address,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined,
    process: child,
    stop,
  };
}

async function answers(address: string): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 1000 });
    await connection.withDeadline(Date.now() + 2000, () => connection!.workflowService.getSystemInfo({}));
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}
