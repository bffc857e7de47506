import path from 'node:path';
import { startTracing } from './tracing';

/**
 * The first import of each entry point (the API, the worker, `npm start`): tracing starts, when OTEL_* asks for it,
 * before anything requires `pg` or `http`. The service is named by OTEL_SERVICE_NAME, else by the entry point.
 */
const entry = path.basename(process.argv[1] ?? '', path.extname(process.argv[1] ?? ''));
startTracing(entry === 'server' ? 'ismet-api' : entry === 'worker' ? 'ismet-worker' : 'ismet-backoffice');
