import { ApplicationFailure, Context } from '@temporalio/activity';

/** Attempts during which a missing row is taken for one whose transaction has not committed yet. */
const UNCOMMITTED_ATTEMPTS = 8;

/**
 * Loads the row a workflow was started for. The API starts a workflow inside the transaction
 * that creates its row (so a refused start leaves nothing behind), which means the workflow
 * may run before that transaction commits: a missing row is retried for a while, and only
 * then taken as really missing.
 */
export async function committedRow<T>(load: () => Promise<T | undefined>, what: string, type: string): Promise<T> {
  const row = await load();
  if (row) return row;
  if (Context.current().info.attempt < UNCOMMITTED_ATTEMPTS) {
    throw ApplicationFailure.retryable(
      `${what} is not visible yet (its transaction may not have committed)`,
      'NotYetCommitted',
    );
  }
  throw ApplicationFailure.nonRetryable(`${what} does not exist`, type);
}
