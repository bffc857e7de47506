import { Metadata } from '@grpc/grpc-js';
import { ServiceError } from '@temporalio/client';
import type { FastifyError, FastifyRequest } from 'fastify';
import { describeError } from '../../api/http/errors';

const request = { id: 'req-1', log: { warn: () => undefined, error: () => undefined } } as unknown as FastifyRequest;

/** A gRPC error as @grpc/grpc-js hands it to the Temporal client. */
function grpcError(code: number, details: string, statusDetailsType?: string) {
  const metadata = new Metadata();
  if (statusDetailsType)
    metadata.set(
      'grpc-status-details-bin',
      Buffer.from(`\n\x09${details}\x1a type.googleapis.com/${statusDetailsType}`),
    );
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata });
}

test('an Update aborted because its workflow task failed (the worker killed) is a 503 to retry, not a 500', () => {
  const aborted = new ServiceError('Workflow Update failed', {
    cause: grpcError(
      9,
      'Unable to perform workflow execution update due to unexpected workflow task failure.',
      'temporal.api.errordetails.v1.WorkflowNotReadyFailure',
    ),
  });
  expect(describeError(aborted as unknown as FastifyError, request)).toMatchObject({
    status: 503,
    code: 'PROCESS_BUSY',
    headers: { 'retry-after': '5' },
  });
});

test('another FAILED_PRECONDITION stays an internal error', () => {
  const other = new ServiceError('Workflow Update failed', {
    cause: grpcError(9, 'Namespace is not active', 'temporal.api.errordetails.v1.NamespaceNotActiveFailure'),
  });
  expect(describeError(other as unknown as FastifyError, request)).toMatchObject({
    status: 500,
    code: 'INTERNAL_ERROR',
  });
});
