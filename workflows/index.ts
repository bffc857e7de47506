// Every workflow the worker runs; one process per file.
export * from './client-lifecycle';
export * from './notice-delivery';
export * from './onboarding';
export * from './tariff-announcement';
export * from './order-emission';
export * from './application-deadline';
export * from './code-retention';
export * from './monthly-act';
export * from './monthly-acts';
export * from './support-ticket';
export * from './refund-request';
export * from './contract-termination';
export * from './contract-amendment';
export * from './claim';
export * from './compensation';
export * from './force-majeure-announcement';
export * from './calendar-horizon';
