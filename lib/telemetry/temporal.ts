import type { WorkflowClientInterceptor } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkerOptions } from '@temporalio/worker';
import { tracing } from './tracing';

/**
 * Temporal's OpenTelemetry interceptors, when this process traces (lib/telemetry/tracing.ts): the client's start,
 * signal, query or Update carries the caller's trace in its headers; the workflow's spans (bundled with its code,
 * exported through a sink) and the activities' spans continue it on the worker.
 */
export function tracedClientInterceptors(): { workflow: WorkflowClientInterceptor[] } | undefined {
  return tracing() ? { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } : undefined;
}

/** The workflow interceptor module, bundled with the workflow code when this process traces. */
export function tracedWorkflowModules(): string[] {
  return tracing() ? [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')] : [];
}

/** What a Worker needs to trace its activities and export its workflows' spans. */
export function tracedWorkerOptions(): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  const traced = tracing();
  if (!traced) return {};
  return {
    interceptors: {
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
    },
    sinks: { exporter: makeWorkflowExporter(traced.spanProcessor, traced.resource) },
  };
}
