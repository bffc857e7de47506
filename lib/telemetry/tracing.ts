import type { Span } from '@opentelemetry/api';
import type { FastifyRequest } from 'fastify';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, SpanProcessor } from '@opentelemetry/sdk-trace-node';
import FastifyOtelInstrumentation from '@fastify/otel';

/**
 * OpenTelemetry traces of one process, exported by OTLP/HTTP where OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) says — the exporter reads those, OTEL_EXPORTER_OTLP_HEADERS and the rest of
 * OpenTelemetry's variables itself. A request is followed from the API (Fastify's instrumentation: its hooks and
 * handler; HTTP; every PostgreSQL query) through the Temporal client's start or Update into the workflow and its
 * activities on the worker (Temporal's interceptors, lib/telemetry/temporal.ts) down to their queries.
 */
export interface Tracing {
  readonly provider: NodeTracerProvider;
  readonly resource: Resource;
  readonly spanProcessor: SpanProcessor;
  /** Fastify's instrumentation, registered by the app before its routes. */
  readonly fastify: FastifyOtelInstrumentation;
  /** Sends what is buffered and stops. */
  shutdown(): Promise<void>;
}

let current: Tracing | undefined;

/**
 * Fastify's instrumentation names a hook's span after its function, or, for an anonymous one, after its plugin — whose
 * name Fastify takes from the plugin's source text. Such spans are named by the hook and the route instead.
 */
function nameAnonymousHook(span: Span, info: { hookName: string; request: FastifyRequest; handler?: string }): void {
  if (/^[\w$@/.-]{1,60}$/.test(info.handler ?? '')) return;
  const { method, routeOptions } = info.request;
  span.updateName(`${info.hookName} - ${method} ${routeOptions.url ?? 'unmatched'}`);
}

/** The process's tracing, when it was started. */
export const tracing = (): Tracing | undefined => current;

/** Whether the environment asks for traces. */
export const tracingWanted = (env: NodeJS.ProcessEnv) =>
  Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) &&
  env.OTEL_SDK_DISABLED !== 'true';

/**
 * Starts tracing for this process — before `pg` and `http` are first required, so that their instrumentations
 * take (lib/telemetry/register.ts is the first import of each entry point). Once per process.
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  if (current || !tracingWanted(env)) return current;
  const resource = new Resource({ 'service.name': env.OTEL_SERVICE_NAME || serviceName });
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter());
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  const fastify = new FastifyOtelInstrumentation({ lifecycleHook: nameAnonymousHook });
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => request.url === '/metrics' }),
      new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
      fastify,
    ],
  });
  current = { provider, resource, spanProcessor, fastify, shutdown: () => provider.shutdown() };
  return current;
}
