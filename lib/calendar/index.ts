// The business calendar: pure, safe to import from workflow code (no Node built-ins).
export * from './types';
export * from './calendar';
export * from './validate';
export * from './provisional';
export * from './kurban-ait';
export * from './horizon';
export * from './for-computing';
