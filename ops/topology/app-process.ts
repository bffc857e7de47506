import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const REPO = path.resolve(__dirname, '../..');

export interface AppProcess {
  name: string;
  readonly child: ChildProcess | undefined;
  readonly pid: number | undefined;
  /** Times the process was started. */
  readonly starts: number;
  running(): boolean;
  /** Starts it (again); resolves once `ready` says so. */
  start(): Promise<void>;
  /** SIGKILL: no shutdown, as when a machine dies. */
  kill(): Promise<void>;
  /** SIGTERM and wait (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

/**
 * A process of the app as docker-compose.yml runs it (`node --import tsx <entry>`, one OS
 * process, so SIGKILL takes all of it), its output appended to `logFile`. `ready` is polled
 * after each start with the output seen since.
 */
export function appProcess(options: {
  name: string;
  entry: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  ready: (output: string) => Promise<boolean> | boolean;
  readyTimeoutMs?: number;
  /** More Node options, e.g. `--cpu-prof` (not allowed in NODE_OPTIONS). */
  nodeOptions?: string[];
}): AppProcess {
  let child: ChildProcess | undefined;
  let starts = 0;
  const alive = () => child !== undefined && child.exitCode === null && child.signalCode === null;

  const start = async () => {
    if (alive()) return;
    const log = fs.createWriteStream(options.logFile, { flags: 'a' });
    log.write(`\n==== ${options.name} start ${new Date().toISOString()}\n`);
    let output = '';
    const started = spawn(process.execPath, [...(options.nodeOptions ?? []), '--import', 'tsx', options.entry], {
      cwd: REPO,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    starts += 1;
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      if (output.length < 200_000) output += chunk.toString();
    };
    started.stdout!.on('data', onData);
    started.stderr!.on('data', onData);
    started.once('exit', (code, signal) => {
      log.end(`==== ${options.name} exited ${code ?? signal} ${new Date().toISOString()}\n`);
    });
    const deadline = Date.now() + (options.readyTimeoutMs ?? 180_000);
    for (;;) {
      if (started.exitCode !== null || started.signalCode !== null)
        throw new Error(
          `${options.name} exited (${started.exitCode ?? started.signalCode}) before it was ready; see ${options.logFile}:\n${output.slice(-2000)}`,
        );
      if (await options.ready(output)) return;
      if (Date.now() > deadline) throw new Error(`${options.name} was not ready in time; see ${options.logFile}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  const signalAndWait = async (signal: NodeJS.Signals, graceMs: number) => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    const timer = setTimeout(() => running.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };

  return {
    name: options.name,
    get child() {
      return child;
    },
    get pid() {
      return child?.pid;
    },
    get starts() {
      return starts;
    },
    running: alive,
    start,
    kill: () => signalAndWait('SIGKILL', 0),
    stop: (graceMs = 30_000) => signalAndWait('SIGTERM', graceMs),
  };
}

/** Ready when `url` answers 200. */
export async function answers200(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}
