import {
  addPerson,
  CHALLENGE_MINUTES,
  clientsAwaitingFirstAdministrator,
  createChallenge,
  createClientSession,
  peopleWithIin,
  recordPersonAction,
  takeChallenge,
} from '../../db/client-people';
import type { Db } from '../../db/connection';
import type { ClientPersonRole } from '../../lib/client-roles';
import type { EdsVerifier } from '../../lib/eds';
import { ApiError } from './errors';

/**
 * A person of a client signs in to the cabinet as on Kazakhstan's portals: the page asks for a fresh
 * challenge, the person signs its text with their EDS through NCALayer (an authentication or a signing key),
 * and the signature names them by the IIN in their certificate. Who they may act for is the company's list of
 * people (client_people) — the certificate proves who, the list says for whom and what.
 */

/** The text a person signs to sign in: the cabinet's address, the challenge's id and the time it was asked. */
export const challengeText = (publicUrl: string, id: string, at: Date) =>
  [
    'Вход в личный кабинет клиента ИС МПТ',
    `Адрес: ${publicUrl}/cabinet`,
    `Запрос: ${id}`,
    `Время: ${at.toISOString()}`,
  ].join('\n');

export async function newChallenge(db: Db, publicUrl: string, now: Date) {
  const challenge = await createChallenge(db, (id) => challengeText(publicUrl, id, now));
  const bytes = Buffer.from(challenge.document, 'utf8');
  return {
    challengeId: challenge.id,
    documentBase64: bytes.toString('base64'),
    documentText: challenge.document,
    expiresAt: challenge.expiresAt.toISOString(),
  };
}

export interface SignedIn {
  session: { id: string; secret: string; expiresAt: Date };
  person: { id: string; fullName: string; roles: ClientPersonRole[]; iin: string };
  client: { id: string; binIin: string; name: string };
  firstAdministrator: boolean;
}

/**
 * Checks the signed challenge and opens a session for the person it names. Refusals: 401 BAD_CHALLENGE (unknown,
 * used or older than CHALLENGE_MINUTES), 401 BAD_SIGNATURE (with the check's problems, in Russian too),
 * 403 NOT_A_PERSON_OF_CLIENT, 409 CHOOSE_COMPANY (a person of several companies names one by its BIN/IIN).
 */
export async function signInWithSignature(
  db: Db,
  eds: EdsVerifier,
  p: {
    challengeId: string;
    signature: string;
    binIin?: string;
    now: Date;
    sessionMinutes: number;
    ip?: string;
    userAgent?: string;
  },
): Promise<SignedIn> {
  const document = await takeChallenge(db, p.challengeId);
  if (!document)
    throw new ApiError(
      401,
      'BAD_CHALLENGE',
      'The sign-in request is unknown, used or older than 5 minutes: start the sign-in again',
      {
        messageRu: `Запрос на вход устарел (действует ${CHALLENGE_MINUTES} минут) или уже использован. Начните вход заново.`,
      },
    );
  const check = await eds.verify({
    document: Buffer.from(document, 'utf8'),
    signature: p.signature,
    expectedBinIin: p.binIin ?? '',
    at: p.now,
    freshWithinMs: CHALLENGE_MINUTES * 60_000,
    purpose: 'sign-in',
  });
  const problems = check.problems.filter((x) => x.code !== 'SIGNER_MISMATCH');
  const iin = check.signer?.iin;
  if (problems.length > 0 || !iin) {
    const why = problems.map((x) => x.message).join('; ') || 'the certificate names no IIN';
    throw new ApiError(401, 'BAD_SIGNATURE', `The EDS signature does not sign you in: ${why}`, {
      problems,
      messageRu:
        problems
          .map((x) => x.messageRu)
          .filter(Boolean)
          .join(' ') || 'В сертификате нет ИИН: войдите ключом, выданным вам НУЦ РК.',
    });
  }
  const fullName = check.signer!.commonName ?? `ИИН ${iin}`;
  let firstAdministrator = false;
  let candidates = await peopleWithIin(db, iin);
  if (candidates.length === 0) {
    // A company without an administrator yet: the person who signed its joining application (or the
    // individual entrepreneur) becomes its first one by signing in.
    const awaiting = (await clientsAwaitingFirstAdministrator(db, iin)).filter(
      (c: { bin_iin: string }) => !p.binIin || c.bin_iin === p.binIin,
    );
    if (awaiting.length === 1) {
      const person = await addPerson(db, {
        clientId: awaiting[0].client_id,
        iin,
        fullName,
        roles: ['admin'],
        createdBy: `eds:${check.signer!.serialNumber} (the signer of the joining application)`,
      });
      if (person) firstAdministrator = true;
      candidates = await peopleWithIin(db, iin);
    }
  }
  const matching = p.binIin ? candidates.filter((c: { bin_iin: string }) => c.bin_iin === p.binIin) : candidates;
  if (matching.length === 0) {
    throw new ApiError(
      403,
      'NOT_A_PERSON_OF_CLIENT',
      `No client's cabinet lists the person with IIN ${iin}${p.binIin ? ` for BIN/IIN ${p.binIin}` : ''}: the company's administrator adds its people`,
      {
        iin,
        messageRu: `Вас (ИИН ${iin}) нет среди сотрудников${p.binIin ? ` организации с БИН/ИИН ${p.binIin}` : ' ни одной организации'} в личном кабинете. Попросите администратора кабинета вашей организации добавить вас.`,
      },
    );
  }
  if (matching.length > 1) {
    throw new ApiError(
      409,
      'CHOOSE_COMPANY',
      'You are among the people of several clients: name the one to sign in to by its BIN/IIN',
      {
        companies: matching.map((c: { bin_iin: string; name: string }) => ({ binIin: c.bin_iin, name: c.name })),
        messageRu: 'Вы работаете в кабинетах нескольких организаций: выберите организацию.',
      },
    );
  }
  const chosen = matching[0];
  const session = await createClientSession(db, {
    personId: chosen.id,
    clientId: chosen.client_id,
    minutes: p.sessionMinutes,
    certificateSerial: check.signer!.serialNumber,
    ip: p.ip,
    userAgent: p.userAgent,
  });
  await recordPersonAction(db, {
    clientId: chosen.client_id,
    personId: chosen.id,
    sessionId: session.id,
    method: 'POST',
    route: '/v1/cabinet/sign-in',
    path: '/v1/cabinet/sign-in',
    statusCode: 200,
  });
  return {
    session,
    person: { id: chosen.id, fullName: chosen.full_name, roles: chosen.roles, iin },
    client: { id: chosen.client_id, binIin: chosen.bin_iin, name: chosen.name },
    firstAdministrator,
  };
}
