import type { Db } from '../../db/connection';
import type { TestApi } from './api';
import { insertStaff } from './fixtures';

const GROUNDS = 'Бумажное заявление о присоединении, вх. № 17 (тест)';

/**
 * A client registered by staff without an application: `proposerToken` proposes it, a second
 * person (a moderator made for the purpose) approves it. Answers as the approval does (201 + the client).
 */
export async function registerClient(api: TestApi, db: Db, proposerToken: string, body: Record<string, unknown>) {
  const proposed = await api.request('POST', '/staff/v1/clients', {
    token: proposerToken,
    body: { grounds: GROUNDS, ...body },
  });
  if (proposed.status !== 202) return proposed;
  const approver = await insertStaff(db, ['moderator']);
  return api.request('POST', `/staff/v1/client-registrations/${proposed.body.id}/approve`, {
    token: approver.token,
    body: {},
  });
}
