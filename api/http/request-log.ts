import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * One log line per request, at its end — what was asked, the answer, how long it took — instead of Fastify's two (an
 * `incoming request` line first): on a hot read the log was a tenth of the request's cost (issue #20,
 * ops/bench/reads.ts). Everything else Fastify logs stays as it is.
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest() {
    // said by requestCompleted
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply) {
    if (this.isLogDisabled(request)) return;
    // Fastify's serializers make `req` and `res` what its own lines show (method, URL, host, address; status).
    const line = {
      req: request,
      res: reply,
      responseTime: reply.elapsedTime,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}
