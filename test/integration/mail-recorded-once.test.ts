import { MockActivityEnvironment } from '@temporalio/testing';
import { createNoticeActivities, SentNotice } from '../../activities/notices';
import { recordSent } from '../../activities/record-sent';
import { createMailer } from '../../lib/mailer';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { insertClient } from '../helpers/fixtures';
import { startSmtpReceiver, SmtpReceiver } from '../helpers/smtp';

// An e-mail the SMTP server took is recorded as sent even when the database is away for a moment
// after (issue #19: the soak found notices mailed twice when PostgreSQL restarted there): the
// record is retried in the activity, so the activity does not fail and its retry does not mail again.
let database: TestDatabase;
let smtp: SmtpReceiver;
beforeAll(async () => {
  [database, smtp] = await Promise.all([createTestDatabase(), startSmtpReceiver()]);
});
afterAll(async () => {
  await Promise.all([database?.drop(), smtp?.close()]);
});

test('recordSent tries the record again while it fails, and gives up after its tries', async () => {
  let calls = 0;
  await recordSent(
    async () => {
      if (++calls < 3) throw new Error('Connection terminated unexpectedly');
    },
    { pauseMs: 1 },
  );
  expect(calls).toBe(3);
  await expect(
    recordSent(
      async () => {
        throw new Error('still away');
      },
      { tries: 2, pauseMs: 1 },
    ),
  ).rejects.toThrow('still away');
});

test('a notice sent while the database fails its first two records is mailed once and recorded sent', async () => {
  const db = database.db;
  const client = await insertClient(db);
  const [notice] = await db('notices')
    .insert({ client_id: client.id, recipient: client.email, subject: 'Уведомление о тарифе', body: 'Текст' })
    .returning('*');
  // The database "goes away" for the first two writes that mark a notice sent.
  await db.raw(`CREATE SEQUENCE notice_record_failures`);
  await db.raw(`CREATE FUNCTION fail_notice_record() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.status = 'sent' AND nextval('notice_record_failures') <= 2 THEN
        RAISE EXCEPTION 'terminating connection due to administrator command' USING ERRCODE = '57P01';
      END IF;
      RETURN NEW;
    END $$`);
  await db.raw(
    `CREATE TRIGGER fail_notice_record BEFORE UPDATE ON notices FOR EACH ROW EXECUTE FUNCTION fail_notice_record()`,
  );
  const mailer = createMailer({ smtpUrl: smtp.url, from: 'ИС МПТ <noreply@ismet.local>', outboxDir: '/nonexistent' });
  try {
    const activities = createNoticeActivities({ db, mailer, clock: { now: () => new Date() } } as never);
    const sent = (await new MockActivityEnvironment().run(activities.sendNotice, notice.id)) as SentNotice;
    expect(sent.messageId).toBe(`<notice-${notice.id}@ismet-backoffice>`);
    expect(await db('notices').where({ id: notice.id }).first()).toMatchObject({ status: 'sent', attempts: 1 });
    expect(smtp.messages.filter((m) => m.messageId === sent.messageId)).toHaveLength(1);
  } finally {
    mailer.close();
    await db.raw('DROP TRIGGER fail_notice_record ON notices');
  }
});
