import { ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { eventually } from '../helpers/api';
import { randomBinIin, REQUISITES } from '../helpers/fixtures';
import { freePort } from '../helpers/ports';

// `npm start` as a user runs it: the embedded PostgreSQL and Temporal dev server, the
// API and the worker in one process tree; Ctrl-C (SIGINT) stops it; a second start
// finds the first one's data.
const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
// 0700, as the key files make DATA_DIR when they are written first: PostgreSQL (run as `postgres` when the tests run
// as root) must still get through to its folder in it.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ismet-start-'));
let env: NodeJS.ProcessEnv;
let running: ChildProcess | undefined;

beforeAll(async () => {
  // `npm start` is told its ports in the environment, as a user would set them: picked up front.
  env = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    EMBEDDED_PG_PORT: String(await freePort()),
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    SUPPORT_SMTP_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
  };
  for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'SMTP_URL']) delete env[name];
});
afterAll(async () => {
  if (running && running.exitCode === null) await stop(running);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(TSX, ['ops/start.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running = child;
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c));
  child.stderr!.on('data', (c: Buffer) => (output += c));
  await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output}`);
    return output.includes('Press Ctrl-C to stop.');
  }, 90_000);
  return { child, output: () => output };
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGINT');
  });
}

const api = (p: string, init: RequestInit = {}) => fetch(`http://127.0.0.1:${env.PORT}${p}`, init);
const body = async (response: Promise<Response>): Promise<any> => (await response).json();
const json = (token: string, body: unknown): RequestInit => ({
  method: 'POST',
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

test('runs on the embedded defaults, prints its URLs, stops on Ctrl-C and keeps its data across restarts', async () => {
  const first = await start();
  expect(first.output()).toContain(`OpenAPI docs     http://127.0.0.1:${env.PORT}/docs`);
  expect(first.output()).toContain(`Temporal Web UI  http://127.0.0.1:${env.TEMPORAL_UI_PORT}`);
  expect(first.output()).toContain('npm run create-admin');
  // A fresh install trusts no CA yet: the banner says so and where to add them.
  expect(first.output()).toContain('Warning: No trusted CA certificates');

  const health = await body(api('/health'));
  expect(health).toMatchObject({ status: 'ok', checks: { postgres: { status: 'ok' }, temporal: { status: 'ok' } } });
  // Searchable by PostgreSQL's user when run as root, never listable by others.
  expect((fs.statSync(dataDir).mode & 0o777).toString(8)).toBe(process.getuid?.() === 0 ? '701' : '700');
  expect((await api('/docs/')).status).toBe(200);
  const ui = await fetch(`http://127.0.0.1:${env.TEMPORAL_UI_PORT}/`);
  expect(ui.status).toBe(200);
  expect(await ui.text()).toMatch(/<html/i);

  const { stdout } = await promisify(execFile)(
    TSX,
    ['ops/create-admin.ts', '--name', 'Первый Админ', '--email', 'admin@ismet.local'],
    { cwd: ROOT, env },
  );
  const token = /API token \(shown once\): (\S+)/.exec(stdout)![1];
  // A client registered without an application needs a second person's approval.
  const secondAdmin = await promisify(execFile)(
    TSX,
    ['ops/create-admin.ts', '--name', 'Второй Админ', '--email', 'second@ismet.local'],
    { cwd: ROOT, env },
  );
  const secondToken = /API token \(shown once\): (\S+)/.exec(secondAdmin.stdout)![1];
  const proposal = await body(
    api(
      '/staff/v1/clients',
      json(token, {
        binIin: randomBinIin(),
        name: 'ТОО «Старт»',
        email: 'start@example.kz',
        requisites: REQUISITES,
        grounds: 'Бумажное заявление, проверка запуска',
      }),
    ),
  );
  const client = await body(api(`/staff/v1/client-registrations/${proposal.id}/approve`, json(secondToken, {})));
  const notice = await body(
    api(
      `/staff/v1/clients/${client.id}/notices`,
      json(token, { subject: 'Проверка запуска', body: 'Письмо из npm start.' }),
    ),
  );
  const sent = await eventually(async () => {
    const current = await body(
      api(`/staff/v1/notices/${notice.id}`, { headers: { authorization: `Bearer ${token}` } }),
    );
    return current.workflow?.status === 'COMPLETED' && current;
  });
  expect(sent.status).toBe('sent');
  // The admins' warning of a missing official calendar (from 1 October, docs/CALENDAR.md) may be there too, depending on today's date.
  const outbox = fs.readdirSync(path.join(dataDir, 'mail')).filter((file) => !file.includes('calendar-horizon-'));
  expect(outbox).toHaveLength(1);
  expect(fs.readFileSync(path.join(dataDir, 'mail', outbox[0]), 'utf8')).toContain(
    `Message-ID: <notice-${notice.id}@ismet-backoffice>`,
  );

  expect(await stop(first.child)).toBe(0);
  await expect(fetch(`http://127.0.0.1:${env.TEMPORAL_DEV_PORT}/`)).rejects.toThrow();
  await expect(api('/health')).rejects.toThrow();

  const second = await start();
  expect(second.output()).not.toContain('npm run create-admin');
  const again = await body(api(`/staff/v1/notices/${notice.id}`, { headers: { authorization: `Bearer ${token}` } }));
  expect(again).toMatchObject({
    status: 'sent',
    workflow: { workflowId: `notice-${notice.id}`, status: 'COMPLETED', state: { status: 'sent' } },
  });
  expect(await stop(second.child)).toBe(0);
});
