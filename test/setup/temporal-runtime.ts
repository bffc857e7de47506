import { DefaultLogger, Runtime } from '@temporalio/worker';

// Only the SDK's warnings and errors in test output.
Runtime.install({ logger: new DefaultLogger('WARN') });
