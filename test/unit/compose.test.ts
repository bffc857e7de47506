import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../lib/config';
import { CLI_TYPE_NAMES, SEARCH_ATTRIBUTES } from '../../lib/search-attributes';

// docker-compose.yml, Dockerfile, .env.example and ops/compose/ cannot be run here (no
// Docker engine), so their relations to the code and to each other are checked instead.

const root = path.resolve(__dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  restart?: string;
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: Record<string, { condition?: string }> | string[];
  ports?: (string | number | { target: number })[];
  volumes?: (string | { type?: string; source?: string; target: string })[];
  healthcheck?: { test: string | string[] };
}

/** The secrets compose requires (`${NAME:?…}`), as the operator sets them in the shell or a compose .env. */
const OPERATOR_ENV: Record<string, string> = { CODE_KEYS: 'OP01:AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=' };

/** Compose's interpolation with only the required secrets set: `${NAME:-default}` → the default; `${NAME:?message}` → the operator's value. */
function interpolate(text: string): string {
  return text.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_match, name: string, kind?: string, rest?: string) => {
    if (kind === '?') {
      if (OPERATOR_ENV[name] === undefined) throw new Error(`compose needs ${name}: ${rest}`);
      return OPERATOR_ENV[name];
    }
    if (kind === undefined) throw new Error(`\${${name}} has no default in docker-compose.yml`);
    return rest ?? '';
  });
}

const compose = parse(interpolate(read('docker-compose.yml')), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;

function service(name: string): Service {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

function env(name: string): Record<string, string> {
  const raw = service(name).environment ?? {};
  const pairs = Array.isArray(raw) ? raw.map((line) => line.split(/=(.*)/s).slice(0, 2)) : Object.entries(raw);
  return Object.fromEntries(pairs.map(([key, value]) => [key, String(value ?? '')]));
}

function dependencies(name: string): Record<string, string> {
  const raw = service(name).depends_on ?? {};
  if (Array.isArray(raw)) return Object.fromEntries(raw.map((dep) => [dep, 'service_started']));
  return Object.fromEntries(Object.entries(raw).map(([dep, spec]) => [dep, spec.condition ?? 'service_started']));
}

/** Ports the container listens on, from `ports` in short or long syntax. */
function containerPorts(name: string): number[] {
  return (service(name).ports ?? []).map((port) =>
    typeof port === 'object' ? port.target : Number(String(port).split('/')[0].split(':').pop()),
  );
}

/** The host file behind a path inside the container, through the service's bind mounts. */
function hostPath(name: string, containerPath: string): string {
  for (const volume of service(name).volumes ?? []) {
    const [source, target] = typeof volume === 'string' ? volume.split(':') : [volume.source ?? '', volume.target];
    if (!source.startsWith('.')) continue;
    if (containerPath === target || containerPath.startsWith(`${target}/`)) {
      return path.join(root, source, path.relative(target, containerPath));
    }
  }
  throw new Error(`${containerPath} is not bind-mounted into ${name}`);
}

const splitHostPort = (address: string) => {
  const match = /^(.+):(\d+)$/.exec(address);
  if (!match) throw new Error(`expected host:port, got ${address}`);
  return { host: match[1], port: Number(match[2]) };
};

const commandOf = (name: string) => [service(name).command ?? []].flat().join(' ');

const APP_SERVICES = ['api', 'worker'];

test('the stack has every service', () => {
  expect(Object.keys(services)).toEqual(
    expect.arrayContaining([
      'postgresql',
      'temporal-admin-tools',
      'temporal',
      'temporal-create-namespace',
      'temporal-ui',
      'mailpit',
      'api',
      'worker',
    ]),
  );
});

test('services start in order, each dependency an existing service that can meet its condition', () => {
  const expected: Record<string, Record<string, string>> = {
    'temporal-admin-tools': { postgresql: 'service_healthy' },
    temporal: { 'temporal-admin-tools': 'service_completed_successfully' },
    'temporal-create-namespace': { temporal: 'service_healthy' },
    'temporal-ui': { temporal: 'service_healthy' },
    api: { postgresql: 'service_healthy', 'temporal-create-namespace': 'service_completed_successfully' },
    worker: { postgresql: 'service_healthy', 'temporal-create-namespace': 'service_completed_successfully' },
  };
  for (const [name, deps] of Object.entries(expected)) expect(dependencies(name)).toMatchObject(deps);

  for (const name of Object.keys(services)) {
    for (const [dep, condition] of Object.entries(dependencies(name))) {
      expect(Object.keys(services)).toContain(dep);
      expect(['service_started', 'service_healthy', 'service_completed_successfully']).toContain(condition);
      // A health condition needs a health check; a one-shot that restarts never completes.
      if (condition === 'service_healthy')
        expect([dep, services[dep].healthcheck?.test]).toEqual([dep, expect.anything()]);
      if (condition === 'service_completed_successfully')
        expect([dep, services[dep].restart ?? 'no']).toEqual([dep, 'no']);
    }
  }
});

test('the app containers are configured only with variables lib/config.ts reads, all valid', () => {
  for (const name of APP_SERVICES) {
    const vars = env(name);
    for (const key of Object.keys(vars)) expect(CONFIG_VARIABLES as readonly string[]).toContain(key);
    expect(vars).toHaveProperty('DATABASE_URL');
    expect(vars).toHaveProperty('TEMPORAL_ADDRESS');
    expect(() => loadConfig(vars, '/app')).not.toThrow();
  }
  // The worker must poll the queue the API starts workflows on, in the same database.
  const shared = ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'TEMPORAL_TASK_QUEUE', 'SMTP_URL'];
  const pick = (vars: Record<string, string>) => Object.fromEntries(shared.map((key) => [key, vars[key]]));
  expect(pick(env('worker'))).toEqual(pick(env('api')));
});

test('deployment surfaces: the admin UIs are bound to this host only; no secret is committed — CODE_KEYS is required', () => {
  for (const admin of ['temporal-ui', 'mailpit', 'temporal']) {
    for (const port of service(admin).ports ?? [])
      expect([admin, String(port)]).toEqual([admin, expect.stringMatching(/^127\.0\.0\.1:/)]);
  }
  const raw = read('docker-compose.yml');
  expect(raw).toMatch(/CODE_KEYS: \$\{CODE_KEYS:\?[^}]+\}/);
  expect(raw).not.toMatch(/CODE_KEYS: "?[A-Z0-9]{4}:/);
  expect(() => interpolate('${SOME_SECRET:?set it}')).toThrow(/needs SOME_SECRET/);
});

test('the app reaches Temporal, PostgreSQL and Mailpit by their service names and ports', () => {
  for (const name of APP_SERVICES) {
    const vars = env(name);

    const temporal = splitHostPort(vars.TEMPORAL_ADDRESS);
    expect(temporal.host).toBe('temporal');
    expect(containerPorts('temporal')).toContain(temporal.port);

    const db = new URL(vars.DATABASE_URL);
    expect(db.hostname).toBe('postgresql');
    expect(service(db.hostname).image).toMatch(/^postgres:/);

    const smtp = new URL(vars.SMTP_URL);
    expect(smtp.hostname).toBe('mailpit');
    expect(Number(smtp.port)).toBe(splitHostPort(env('mailpit').MP_SMTP_BIND_ADDR).port);
  }
});

test('the app database, role and password are the ones the PostgreSQL init script creates', () => {
  const db = new URL(env('api').DATABASE_URL);
  const initDir = hostPath('postgresql', '/docker-entrypoint-initdb.d');
  const init = fs
    .readdirSync(initDir)
    .map((file) => fs.readFileSync(path.join(initDir, file), 'utf8'))
    .join('\n');
  const created = /CREATE DATABASE (\w+) OWNER (\w+)/.exec(init);
  expect(created?.slice(1)).toEqual([db.pathname.slice(1), db.username]);
  expect(init).toMatch(new RegExp(`CREATE ROLE ${db.username} LOGIN PASSWORD :'password'`));
  expect(init).toContain('password="${ISMET_DB_PASSWORD');
  expect(decodeURIComponent(db.password)).toBe(env('postgresql').ISMET_DB_PASSWORD);
});

test('the API listens on all interfaces on the port it publishes and health-checks', () => {
  const config = loadConfig(env('api'), '/app');
  expect(['0.0.0.0', '::']).toContain(config.host);
  // The API's port, and the support address's SMTP listener it runs (Прил. 3 п.1b).
  expect(containerPorts('api')).toEqual([config.port, config.supportSmtpPort]);
  expect(String(service('api').healthcheck?.test)).toContain(`:${config.port}/ready`);
});

test('the UI and the namespace script use the Temporal address and namespace the app uses', () => {
  const app = env('api');
  expect(env('temporal-ui').TEMPORAL_ADDRESS).toBe(app.TEMPORAL_ADDRESS);
  expect(env('temporal-create-namespace').TEMPORAL_ADDRESS).toBe(app.TEMPORAL_ADDRESS);
  expect(env('temporal-create-namespace').TEMPORAL_NAMESPACE).toBe(app.TEMPORAL_NAMESPACE);
});

test('the namespace script registers exactly the search attributes of lib/search-attributes.ts', () => {
  const scriptPath = commandOf('temporal-create-namespace')
    .split(' ')
    .find((word) => word.endsWith('.sh'));
  expect(scriptPath).toBeDefined();
  const script = fs.readFileSync(hostPath('temporal-create-namespace', scriptPath!), 'utf8');
  const listed = /^SEARCH_ATTRIBUTES="([^"]*)"/m.exec(script)?.[1].split(/\s+/).filter(Boolean) ?? [];
  const expected = SEARCH_ATTRIBUTES.map((key) => `${key.name}=${CLI_TYPE_NAMES[key.type]}`);
  expect([...listed].sort()).toEqual([...expected].sort());
  expect(script).toMatch(/for attribute in \$SEARCH_ATTRIBUTES/);
  expect(script).toMatch(/search-attribute create .*--name "\$1" --type "\$2"/);
});

test('the schema setup script is mounted where admin-tools runs it', () => {
  const scriptPath = commandOf('temporal-admin-tools')
    .split(' ')
    .find((word) => word.endsWith('.sh'));
  const script = fs.readFileSync(hostPath('temporal-admin-tools', scriptPath!), 'utf8');
  expect(script).toContain('update-schema');
  expect(env('temporal-admin-tools')).toMatchObject({ DB: env('temporal').DB, POSTGRES_SEEDS: 'postgresql' });
});

test("Temporal's dynamic config file is mounted and holds the settings the app needs", () => {
  const file = hostPath('temporal', env('temporal').DYNAMIC_CONFIG_FILE_PATH);
  const config = parse(fs.readFileSync(file, 'utf8')) as Record<string, { value: unknown }[]>;
  for (const key of [
    'limit.maxIDLength',
    'frontend.enableUpdateWorkflowExecution',
    'frontend.enableUpdateWorkflowExecutionAsyncAccepted',
  ]) {
    expect([key, config[key]?.[0]]).toEqual([key, expect.objectContaining({ value: expect.anything() })]);
  }
  expect(config['frontend.enableUpdateWorkflowExecution'][0].value).toBe(true);
});

describe('.env.example', () => {
  const lines = read('.env.example').split('\n');
  const entries = lines
    .map((line, index) => ({ index, match: /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line) }))
    .filter((entry) => entry.match)
    .map(({ index, match }) => ({
      index,
      commented: Boolean(match![1]),
      name: match![2],
      value: match![3].replace(/^"(.*)"$/, '$1'),
    }));

  test('lists every variable of lib/config.ts once, each after a comment', () => {
    const names = entries.map((entry) => entry.name);
    expect([...names].sort()).toEqual([...CONFIG_VARIABLES].sort());
    for (const { index, name } of entries) {
      const before = lines[index - 1] ?? '';
      expect([name, before.startsWith('#') && !entries.some((entry) => entry.index === index - 1)]).toEqual([
        name,
        true,
      ]);
    }
  });

  test('set values are the defaults; commented-out ones have none and a valid example', () => {
    const defaults = loadConfig({}, root);
    const set = Object.fromEntries(entries.filter((e) => !e.commented).map((e) => [e.name, e.value]));
    expect(loadConfig(set, root)).toEqual(defaults);
    expect(set.PORT).toBe(String(defaults.port));
    for (const { name, value } of entries.filter((e) => e.commented)) {
      const example = loadConfig({ [name]: value }, root);
      const changed = (Object.keys(example) as (keyof typeof example)[]).filter(
        (key) => JSON.stringify(example[key]) !== JSON.stringify(defaults[key]),
      );
      expect([name, changed.length > 0]).toEqual([name, true]);
      // Unset means unset (embedded services), or derived from other settings (publicUrl, edsTrustedCaDir).
      for (const key of changed) {
        if (key === 'publicUrl') expect(defaults.publicUrl).toBe(`http://${set.HOST}:${set.PORT}`);
        else if (key === 'edsTrustedCaDir')
          expect(defaults.edsTrustedCaDir).toBe(path.join(defaults.dataDir, 'trusted-ca'));
        else expect([name, key, defaults[key]]).toEqual([name, key, undefined]);
      }
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const ignored = read('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#') && !line.startsWith('!'))
    .map(
      (pattern) =>
        new RegExp(
          `^${pattern
            .replace(/^\//, '')
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '[^/]*')}$`,
        ),
    );
  const copied = dockerfile
    .split('\n')
    .filter((line) => /^COPY /.test(line) && !line.includes('--from'))
    .flatMap((line) => line.split(/\s+/).slice(1, -1));
  const defaultCommand = (JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]') as string[]).join(' ');

  test('the commands of the app services run existing files that the image holds', () => {
    const expected: Record<string, string> = { api: 'api/http/server.ts', worker: 'workflows/worker.ts' };
    for (const name of APP_SERVICES) {
      expect(service(name).build).toBeDefined();
      const command = commandOf(name) || defaultCommand;
      expect(command).toContain(expected[name]);
    }
    const files = [defaultCommand, ...APP_SERVICES.map(commandOf)].flatMap(
      (command) => command.match(/[\w./-]+\.ts\b/g) ?? [],
    );
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      expect([file, fs.existsSync(path.join(root, file))]).toEqual([file, true]);
      const top = file.split('/')[0];
      expect([file, copied]).toEqual([file, expect.arrayContaining([top])]);
      const prefixes = file.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
      expect([file, prefixes.some((prefix) => ignored.some((pattern) => pattern.test(prefix)))]).toEqual([file, false]);
    }
  });

  test('tsx, which runs the TypeScript, survives the dev-dependency prune', () => {
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    expect(`${defaultCommand} ${APP_SERVICES.map(commandOf).join(' ')}`).toMatch(/tsx/);
    if (/--omit=dev|--production/.test(dockerfile)) expect(pkg.dependencies).toHaveProperty('tsx');
    expect(copied).toEqual(expect.arrayContaining(['package.json', 'package-lock.json']));
  });
});
