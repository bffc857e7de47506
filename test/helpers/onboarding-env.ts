import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import type { CalendarData } from '../../lib/calendar';
import { systemClock } from '../../lib/clock';
import type { createEdsVerifier } from '../../lib/eds';
import { createMailer } from '../../lib/mailer';
import { onboarding, OnboardingState, onboardingStateQuery } from '../../workflows/onboarding';
import { workflowBundle } from '../../workflows/worker';
import { createTestDatabase, TestDatabase } from './db';
import { insertStaff } from './fixtures';
import { createTestPki, insertApplication, sampleForm, signForm, TestPki } from './joining';
import { startSmtpReceiver, SmtpReceiver } from './smtp';
import { createTimeSkippingEnv, weekendsOnlyCalendarAroundNow } from './time-skipping';

type Verifier = ReturnType<typeof createEdsVerifier>;

/**
 * A test file's time-skipping server, database, SMTP receiver, test PKI and moderator, with
 * one worker for the whole file, so no workflow is ever left with a task nobody polls; each
 * test also ends the workflows it started.
 */
export function useOnboardingEnv() {
  const TASK_QUEUE = 'onboarding-tests';
  const ctx = { started: [] as string[] } as {
    env: TestWorkflowEnvironment;
    database: TestDatabase;
    smtp: SmtpReceiver;
    pki: TestPki;
    moderator: { id: string; email: string; token: string };
    data: CalendarData;
    started: string[];
  };
  let shared: Awaited<ReturnType<typeof startWorker>>;

  async function startWorker(taskQueue: string, eds: Verifier) {
    const mailer = createMailer({
      smtpUrl: ctx.smtp.url,
      from: 'ИС МПТ <noreply@ismet.local>',
      outboxDir: '/nonexistent',
    });
    const worker = await Worker.create({
      connection: ctx.env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createActivities({
        db: ctx.database.db,
        mailer,
        clock: systemClock,
        eds,
        publicUrl: 'https://backoffice.test',
      }),
    });
    return { worker, mailer, running: worker.run() };
  }

  beforeAll(async () => {
    [ctx.env, ctx.database, ctx.smtp, ctx.pki] = await Promise.all([
      createTimeSkippingEnv(),
      createTestDatabase(),
      startSmtpReceiver(),
      createTestPki(),
    ]);
    ctx.moderator = await insertStaff(ctx.database.db, ['moderator']);
    shared = await startWorker(TASK_QUEUE, ctx.pki.verifier);
  });
  afterAll(async () => {
    shared?.worker.shutdown();
    await shared?.running;
    shared?.mailer.close();
    await Promise.all([ctx.env?.teardown(), ctx.database?.drop(), ctx.smtp?.close()]);
  });
  beforeEach(async () => {
    ctx.data = await weekendsOnlyCalendarAroundNow(ctx.env, ctx.database.db);
  });
  afterEach(async () => {
    for (const workflowId of ctx.started.splice(0)) {
      await ctx.env.client.workflow
        .getHandle(workflowId)
        .terminate('test over')
        .catch(() => undefined);
    }
  });

  return Object.assign(ctx, {
    /** Runs on the shared worker, or on a worker of its own with another EDS trust store. */
    async withWorker<T>(fn: (taskQueue: string) => Promise<T>, eds?: Verifier): Promise<T> {
      if (!eds) return fn(TASK_QUEUE);
      const own = await startWorker(`onboarding-${Math.random().toString(36).slice(2)}`, eds);
      try {
        return await fn(own.worker.options.taskQueue);
      } finally {
        own.worker.shutdown();
        await own.running;
        own.mailer.close();
      }
    },

    /** An application signed and stored as the API would, and its workflow started. */
    async submit(taskQueue: string, form = sampleForm()) {
      const now = new Date(await ctx.env.currentTimeMs());
      const signature = await signForm(await ctx.pki.signerFor(form.binIin), form, { signingTime: now });
      const row = await insertApplication(ctx.database.db, form, signature, now);
      ctx.started.push(`join-application-${row.id}`);
      const handle = await ctx.env.client.workflow.start(onboarding, {
        workflowId: `join-application-${row.id}`,
        taskQueue,
        args: [
          {
            applicationId: row.id,
            number: row.number,
            binIin: row.bin_iin,
            companyName: form.companyName,
            submittedAt: now.toISOString(),
          },
        ],
      });
      return { row, form, handle, submittedAt: now };
    },

    async until(
      handle: { query: (q: typeof onboardingStateQuery) => Promise<OnboardingState> },
      predicate: (s: OnboardingState) => boolean,
    ) {
      for (let i = 0; i < 100; i++) {
        const state = await handle.query(onboardingStateQuery);
        if (predicate(state)) return state;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('the onboarding workflow did not reach the expected state');
    },
  });
}
