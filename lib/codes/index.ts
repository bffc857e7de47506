export * from './gtin';
export * from './serial';
export * from './marking-code';
export * from './keys';
export * from './input';
