// The cabinet's screenshots (issue #17): `bash ops/screenshots.sh` runs this config only. It reuses the main
// config's transform and its global setup (embedded PostgreSQL + the Temporal dev server), so the script sets its
// data up with the integration tests' helpers. Its files end in `.screens.ts`: `npm test` never picks them up.
const main = require('../../jest.config.js');
const integration = main.projects.find((p) => p.displayName === 'integration');

module.exports = {
  rootDir: '../..',
  testTimeout: 600000,
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  testEnvironment: 'node',
  transform: integration.transform,
  transformIgnorePatterns: integration.transformIgnorePatterns,
  moduleFileExtensions: integration.moduleFileExtensions,
  setupFiles: ['<rootDir>/test/setup/temporal-runtime.ts'],
  testMatch: ['<rootDir>/test/screenshots/**/*.screens.ts'],
};
