import type { ActivityDeps } from './deps';

/** Reconciliation acts (6.6-6.8): signed by the operator, sent, signed or refused by the client. */
export function createReconciliationActivities(deps: ActivityDeps) {
  void deps;
  return {};
}
