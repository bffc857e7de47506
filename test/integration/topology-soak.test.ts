import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// The production topology (ops/topology: the real Temporal server on PostgreSQL, two workers, two
// APIs) under the short soak (ops/soak/soak.ts --short): a mixed load while workers are SIGKILLed
// and PostgreSQL and the Temporal server restart, then the invariants. See docs/TOPOLOGY.md.
const ROOT = path.resolve(__dirname, '../..');

// The server is built with Go (ops/install-temporal-server.sh; a no-op once installed). Without Go
// the test is skipped, saying so; with Go a failed build fails the test.
const hasGo = spawnSync('go', ['version']).status === 0;
const install = spawnSync('bash', ['ops/install-temporal-server.sh'], { cwd: ROOT, encoding: 'utf8' });
const installed = install.status === 0;
if (!installed && !hasGo)
  console.warn(
    'topology-soak skipped: the Temporal server cannot be built here (no Go); install Go >= 1.25 and run bash ops/install-temporal-server.sh',
  );
const maybe = installed || hasGo ? test : test.skip;

const SOAK_TIMEOUT_MS = 300_000;

maybe(
  'the short soak on the production topology holds every invariant',
  async () => {
    expect({ status: install.status, output: `${install.stdout}${install.stderr}`.slice(-2000) }).toMatchObject({
      status: 0,
    });
    const reportFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ismet-soak-')), 'report.txt');
    const child = spawn(process.execPath, ['--import', 'tsx', 'ops/soak/soak.ts', '--short', '--report', reportFile], {
      cwd: ROOT,
      env: { ...process.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGINT'), SOAK_TIMEOUT_MS - 15_000);
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    clearTimeout(timer);
    const report = fs.existsSync(reportFile) ? fs.readFileSync(reportFile, 'utf8') : output.slice(-6000);
    fs.rmSync(path.dirname(reportFile), { recursive: true, force: true });
    console.log(report);
    expect({ code, result: /Result: (\w+)/.exec(report)?.[1] }).toEqual({ code: 0, result: 'PASS' });
  },
  SOAK_TIMEOUT_MS,
);
