import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { readCalendar } from '../../../db/calendar-store';
import {
  changeDetails,
  clientBinIin,
  readHistory,
  readProfile,
  setClientLanguage,
  withdrawConsent,
} from '../../../db/client-profile-store';
import { BusinessCalendar, DEFAULT_SETTINGS } from '../../../lib/calendar';
import { checkDetails } from '../../../lib/joining/form';
import { normalisePhone } from '../../../lib/kz-identifiers';
import { consentWithdrawnSignal, detailsChangedSignal } from '../../../workflows/client-lifecycle';
import { tellLifecycle } from '../../intake/lifecycle-signal';
import { requireClient } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { ApiError, conflict, notFound } from '../../http/errors';
import { authErrors, errorResponses } from '../../schemas/common';
import { InstructionDocument } from '../../schemas/lifecycle';
import {
  ChangeDetailsBody,
  DetailsChangeContent,
  History,
  LanguageBody,
  Profile,
  WithdrawConsentBody,
} from '../../schemas/profile';
import {
  checkSignedInstruction,
  detailsDocument,
  documentAnswer,
  needsSignature,
  SIGNED_DETAIL_FIELDS,
  signedColumns,
} from '../../intake/signed-instructions';

type DetailsPatch = Record<string, string>;

/** The changed details as they are kept: IIK and BIK upper-case, phone and e-mail normalised; 400 when invalid. */
function normalisedPatch(details: DetailsPatch): DetailsPatch {
  const patch = { ...details };
  if (patch.iik) patch.iik = patch.iik.toUpperCase().replace(/\s/g, '');
  if (patch.bik) patch.bik = patch.bik.toUpperCase();
  const problems = checkDetails(patch);
  if (problems.length) {
    throw new ApiError(
      400,
      'VALIDATION_FAILED',
      `Invalid details: ${problems.map((p) => p.path).join(', ')}`,
      problems.map((p) => ({ location: 'body', path: `/details${p.path}`, message: p.message })),
    );
  }
  if (patch.phone) patch.phone = normalisePhone(patch.phone)!;
  if (patch.email) patch.email = patch.email.toLowerCase();
  return patch;
}

/** The client's details (Прил. 1) and their changes (10.2.2); consent and its withdrawal (10.7.3). */
export const clientProfileRoutes =
  ({ db, temporal, clock, config, eds }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const security = [{ clientToken: [] }];
    const settings = { ...DEFAULT_SETTINGS, zone: config.operatorTimeZone };

    /** The lifecycle workflow keeps a running account; the database row is the record. */
    const tell = (clientId: string, send: Parameters<typeof tellLifecycle>[2], log: (e: unknown) => void) =>
      tellLifecycle(temporal, clientId, send, log);
    const binIinOf = async (clientId: string) => {
      const binIin = await clientBinIin(db, clientId);
      if (!binIin) throw new ApiError(404, 'NOT_FOUND', `No client ${clientId}`);
      return binIin;
    };
    const signedFields = SIGNED_DETAIL_FIELDS.join(', ');

    app.get(
      '/profile',
      {
        schema: {
          tags: ['client'],
          summary: "The client's details, personal account and consent",
          security,
          response: { 200: Profile, ...authErrors },
        },
      },
      async (request) => (await readProfile(db, requireClient(request).clientId))!,
    );

    app.put(
      '/profile/language',
      {
        schema: {
          tags: ['client'],
          summary: 'The language the client reads first in its e-mails and cabinet (kk or ru), the other below',
          security,
          body: LanguageBody,
          response: { 200: Profile, ...authErrors, ...errorResponses(404) },
        },
      },
      async (request) => {
        const { clientId } = requireClient(request);
        if (!(await setClientLanguage(db, clientId, request.body.language))) throw notFound('client', clientId);
        return (await readProfile(db, clientId))!;
      },
    );

    app.get(
      '/profile/history',
      {
        schema: {
          tags: ['client'],
          summary: 'Changes of details and of consent, newest first',
          security,
          response: { 200: History, ...authErrors },
        },
      },
      async (request) => readHistory(db, requireClient(request).clientId),
    );

    app.post(
      '/profile/document',
      {
        schema: {
          tags: ['client'],
          summary: 'The exact document to sign with the EDS for a change of details (10.2.2)',
          description:
            `The changed details, normalised as they will be kept, and the day of the change, for the client’s BIN/IIN, in a typed envelope serialised by RFC 8785. Sign these bytes (CMS) and send the same change with the signature to PATCH /profile. ` +
            `Needed when the change touches the bank details or the e-mail of record (${signedFields}).`,
          security,
          body: DetailsChangeContent,
          response: { 200: InstructionDocument, ...authErrors, ...errorResponses(404) },
        },
      },
      async (request) =>
        documentAnswer(
          detailsDocument(
            await binIinOf(requireClient(request).clientId),
            normalisedPatch(request.body.details),
            request.body.occurredOn,
          ),
        ),
    );

    app.patch(
      '/profile',
      {
        schema: {
          tags: ['client'],
          summary:
            'Report changed details (10.2.2: within 5 working days of the change); the history keeps every version',
          description:
            `A change of the bank details or of the e-mail of record (${signedFields}) redirects money and notices: it is a document signed with the client’s EDS (the same CMS verification as joining) over the bytes of POST /profile/document — ` +
            'the client’s own certificate (its BIN; an individual entrepreneur’s IIN), or an individual’s under a power of attorney with the scope `details` recorded by staff and valid today. ' +
            'Without `signature` → 422 SIGNATURE_REQUIRED; one that does not verify → 422 BAD_SIGNATURE; by someone without that authority → 422 SIGNER_NOT_AUTHORISED; nothing changes then, and the signed document is kept with the change. ' +
            'Other details (phone, addresses, names, the signer) may be reported without a signature; a signature sent with them is checked and kept all the same.',
          security,
          body: ChangeDetailsBody,
          response: { 200: Profile, ...authErrors, ...errorResponses(404, 409, 422) },
        },
      },
      async (request) => {
        const { clientId } = requireClient(request);
        const patch = normalisedPatch(request.body.details);
        const now = clock.now();
        const calendar = new BusinessCalendar(await readCalendar(db), settings);
        const today = calendar.localDate(now);
        const occurredOn = request.body.occurredOn ?? today;
        if (occurredOn > today)
          throw new ApiError(400, 'VALIDATION_FAILED', 'occurredOn cannot be in the future', [
            { location: 'body', path: '/occurredOn', message: 'a past or today date' },
          ]);
        const reportedLate = now.getTime() >= calendar.addWorkingDays(calendar.startOfDay(occurredOn), 5).getTime();
        // 10.2.2: the bank details and the e-mail of record change only by the client's signed document.
        const { signature } = request.body;
        const binIin = await binIinOf(clientId);
        const signed =
          needsSignature(patch) || signature !== undefined
            ? await checkSignedInstruction(
                { db, eds, timeZone: config.operatorTimeZone },
                {
                  clientId,
                  binIin,
                  kind: 'details',
                  document: detailsDocument(binIin, patch, request.body.occurredOn),
                  signature,
                  at: now,
                  what: `A change of the bank details or of the e-mail of record (${signedFields}, 10.2.2)`,
                  documentRoute: 'POST /client/v1/profile/document',
                },
              )
            : undefined;
        const changed = await changeDetails(db, {
          clientId,
          patch,
          occurredOn,
          reportedLate,
          at: now,
          signed: signed && signedColumns(signed),
        });
        if (!changed)
          throw conflict(
            'NO_DETAILS',
            'This client has no application details to change (registered directly by staff)',
          );
        await tell(
          clientId,
          (h) => h.signal(detailsChangedSignal, { at: now.toISOString(), fields: Object.keys(patch) }),
          (e) => request.log.warn({ err: e }, 'lifecycle not signalled'),
        );
        return (await readProfile(db, clientId))!;
      },
    );

    app.post(
      '/consent/withdraw',
      {
        schema: {
          tags: ['client'],
          summary: 'Withdraw consent to personal-data processing (10.7.3); recorded and shown to staff',
          security,
          body: WithdrawConsentBody,
          response: { 200: Profile, ...authErrors, ...errorResponses(409) },
        },
      },
      async (request) => {
        const { clientId } = requireClient(request);
        const now = clock.now();
        const withdrawn = await withdrawConsent(db, clientId, now, request.body.note ?? null);
        if (!withdrawn)
          throw conflict('CONSENT_ALREADY_WITHDRAWN', 'Consent to personal-data processing was already withdrawn');
        await tell(
          clientId,
          (h) => h.signal(consentWithdrawnSignal, { at: now.toISOString() }),
          (e) => request.log.warn({ err: e }, 'lifecycle not signalled'),
        );
        return (await readProfile(db, clientId))!;
      },
    );
  };
