import { Context } from '@temporalio/activity';

/**
 * Records that an e-mail went out, once the SMTP server has taken it. While the database is away
 * the record is tried again here, in the activity (heartbeating), rather than failing the activity:
 * its retry would send the e-mail a second time. Only a worker killed in the milliseconds between
 * the server's answer and the record sends one twice (the same Message-ID, which mail clients fold).
 */
export async function recordSent(write: () => Promise<unknown>, { tries = 20, pauseMs = 1000 } = {}): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await write();
      return;
    } catch (error) {
      if (attempt >= tries) throw error;
      beat(attempt);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}

function beat(attempt: number): void {
  try {
    Context.current().heartbeat({ recordingSent: attempt });
  } catch {
    // Called outside an activity (a script, a test): nothing to tell.
  }
}
