// Ports for external processes the tests start: ops/services/ports.ts.
export { freePort } from '../../ops/services/ports';
