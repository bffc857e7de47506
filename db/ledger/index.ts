// The personal account's double-entry ledger (3.2-3.8, 6.1-6.4, 6.10).
export * from './book';
export * from './primitives';
export * from './reports';
