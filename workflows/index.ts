// Every workflow the worker runs; one process per file.
export * from './notice-delivery';
