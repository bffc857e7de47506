// Three projects, one run: pure logic (unit), workflows on the time-skipping test
// server (workflow), and the API over HTTP on real PostgreSQL + the Temporal dev
// server (integration). test/setup/global-setup.ts starts the shared services once.
// typebox 1.x, content-disposition 3, cookie 2, openid-client 6 (with oauth4webapi and jose 6) and
// oidc-provider 9 (the tests' OpenID Connect provider) and FormatJS (@formatjs/*, intl-messageformat) ship ES modules only; jest's CommonJS
// runtime on Node 20 needs them compiled (Node itself loads them with require(esm)). @fastify/cookie
// 11 loads cookie 2 with a dynamic import(), which jest's runtime only allows compiled to require().
const transform = { '^.+\\.(ts|mjs|js)$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] };
const project = (name, extra = {}) => ({
  displayName: name,
  testEnvironment: 'node',
  transform,
  transformIgnorePatterns: [
    '/node_modules/(?!(typebox|content-disposition|cookie|@fastify/cookie|openid-client|oauth4webapi|jose|oidc-provider|@formatjs|intl-messageformat)/)',
  ],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json', 'node'],
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  ...extra,
});

module.exports = {
  testTimeout: 120000,
  reporters: ['default', '<rootDir>/test/setup/summary-reporter.js'],
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  projects: [
    project('unit'),
    project('workflow', { setupFiles: ['<rootDir>/test/setup/temporal-runtime.ts'] }),
    project('integration', { setupFiles: ['<rootDir>/test/setup/temporal-runtime.ts'] }),
  ],
};
