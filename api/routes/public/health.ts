import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { NO_TRUSTED_CA_WARNING } from '../../../db/eds-trust';
import type { AppDeps } from '../../http/deps';
import { CalendarHorizonWarning } from '../../schemas/calendar';
import { errorResponses } from '../../schemas/common';
import { calendarWarnings, pingDatabase } from '../../views/health';

const CHECK_TIMEOUT_MS = 2000;

const Check = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  latencyMs: Type.Integer(),
  error: Type.Optional(Type.String()),
});
const EdsTrust = Type.Object(
  {
    trustedCertificates: Type.Integer({ description: 'CA certificates the EDS verifier trusts now' }),
    crls: Type.Integer({ description: 'Imported CRLs in use (the latest of each issuer)' }),
    strictRevocation: Type.Boolean(),
    warning: Type.Optional(
      Type.String({ description: 'Set when no CA certificate is trusted: every EDS signature is refused' }),
    ),
  },
  { description: 'The EDS trust store (docs/EDS.md)' },
);
const HealthOk = Type.Object({
  status: Type.Literal('ok'),
  checks: Type.Record(Type.String(), Check),
  warnings: Type.Array(CalendarHorizonWarning, {
    description: 'Things staff must see to in time; they do not make the answer 503',
  }),
  eds: Type.Optional(EdsTrust),
});

async function timed(check: () => Promise<unknown>) {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { status: 'ok' as const, latencyMs: Date.now() - started };
  } catch (error) {
    return { status: 'unavailable' as const, latencyMs: Date.now() - started, error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** /health checks each backing service; /ready says whether this process takes requests. */
export const healthRoutes =
  (deps: AppDeps, state: { draining: boolean }): FastifyPluginAsyncTypebox =>
  async (app) => {
    /** The calendar's horizon (lib/calendar/horizon.ts) at the API's clock; a failure to read them is logged, never a 5xx. */
    const warnings = async (request: FastifyRequest) => {
      try {
        return await calendarWarnings(deps);
      } catch (error) {
        request.log.warn({ err: error }, 'calendar warnings not read');
        return [];
      }
    };

    /** What the EDS verifier trusts; not read → left out (logged), never a 5xx. */
    const eds = async (request: FastifyRequest) => {
      try {
        const status = await deps.eds.status?.();
        if (!status) return undefined;
        const { trustedCertificates, crls, strictRevocation } = status;
        return {
          trustedCertificates,
          crls,
          strictRevocation,
          ...(trustedCertificates === 0 ? { warning: NO_TRUSTED_CA_WARNING } : {}),
        };
      } catch (error) {
        request.log.warn({ err: error }, 'EDS trust store not read');
        return undefined;
      }
    };

    app.get(
      '/health',
      {
        schema: {
          tags: ['health'],
          summary: 'PostgreSQL and Temporal, each checked; 503 names the failed ones',
          description:
            'The 200 answer lists warnings too: from 1 October (operator zone) a next year without an official business calendar, ' +
            'and a current year without one (CALENDAR_YEAR_NOT_OFFICIAL). A warning does not make the answer 503. ' +
            '`eds` says how many CA certificates the EDS verifier trusts, with a warning when none is.',
          response: { 200: HealthOk, ...errorResponses(503) },
        },
      },
      async (request, reply) => {
        const [postgres, temporal] = await Promise.all([
          timed(() => pingDatabase(deps)),
          timed(() =>
            deps.temporal.connection.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () =>
              deps.temporal.connection.workflowService.getSystemInfo({}),
            ),
          ),
        ]);
        const checks = { postgres, temporal };
        const failed = Object.entries(checks)
          .filter(([, c]) => c.status !== 'ok')
          .map(([name]) => name);
        if (failed.length === 0)
          return { status: 'ok' as const, checks, warnings: await warnings(request), eds: await eds(request) };
        return reply.status(503).send({
          code: 'DEPENDENCY_UNAVAILABLE',
          message: `Unavailable: ${failed.join(', ')}`,
          details: { failed, checks },
        });
      },
    );

    app.get(
      '/ready',
      {
        schema: {
          tags: ['health'],
          summary: 'Whether this API process accepts requests (503 while shutting down)',
          response: { 200: Type.Object({ status: Type.Literal('ready') }), ...errorResponses(503) },
        },
      },
      async (_request, reply) => {
        if (state.draining)
          return reply.status(503).send({ code: 'SHUTTING_DOWN', message: 'The API is shutting down' });
        return { status: 'ready' as const };
      },
    );
  };
