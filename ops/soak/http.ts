/** The soak's HTTP client: round robin over the API processes (as a load balancer would), every answer recorded. */

export type Outcome = number | 'refused' | 'timeout' | 'network';

export interface Sample {
  kind: string;
  method: string;
  path: string;
  outcome: Outcome;
  /** The error's machine code (`code`), when the answer has one. */
  code?: string;
  /** The error's message, shortened. */
  message?: string;
  /** ms since the epoch when the request was sent. */
  at: number;
  ms: number;
  api: number;
}

export interface Answer {
  outcome: Outcome;
  body: any;
  ok: boolean;
}

/** Outcomes a client retries with the same request (and idempotency key): the service or the way to it is down. */
export const retryable = (outcome: Outcome) =>
  outcome === 'refused' ||
  outcome === 'timeout' ||
  outcome === 'network' ||
  outcome === 500 ||
  outcome === 502 ||
  outcome === 503 ||
  outcome === 504;

export class Http {
  readonly samples: Sample[] = [];
  private next = 0;

  constructor(readonly urls: string[]) {}

  async request(
    kind: string,
    method: string,
    path: string,
    options: { token?: string; headers?: Record<string, string>; body?: unknown; timeoutMs?: number } = {},
  ): Promise<Answer> {
    const api = this.next++ % this.urls.length;
    const at = Date.now();
    const headers: Record<string, string> = {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    };
    let outcome: Outcome;
    let body: any;
    try {
      const response = await fetch(this.urls[api] + path, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
      });
      outcome = response.status;
      const text = await response.text();
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    } catch (error) {
      const e = error as { name?: string; cause?: { code?: string } };
      outcome =
        e.name === 'TimeoutError'
          ? 'timeout'
          : e.cause?.code === 'ECONNREFUSED' || e.cause?.code === 'ECONNRESET'
            ? 'refused'
            : 'network';
    }
    const ok = typeof outcome === 'number' && outcome >= 200 && outcome < 300;
    const errorCode = !ok && body && typeof body === 'object' ? (body.code ?? body.error) : undefined;
    const message =
      !ok && body && typeof body === 'object'
        ? String(body.message ?? body.globalErrors?.[0] ?? '').slice(0, 200)
        : undefined;
    this.samples.push({
      kind,
      method,
      path: path.replace(/\?.*$/, ''),
      outcome,
      code: errorCode === undefined ? undefined : String(errorCode),
      message,
      at,
      ms: Date.now() - at,
      api,
    });
    return { outcome, body, ok };
  }

  /**
   * The same request until it is answered other than "down" (see `retryable`), for at most
   * `withinMs`: what a well-behaved client does. The last answer is returned.
   */
  async persist(
    kind: string,
    method: string,
    path: string,
    options: Parameters<Http['request']>[3] & { withinMs?: number } = {},
  ): Promise<Answer & { attempts: number }> {
    const until = Date.now() + (options.withinMs ?? 180_000);
    for (let attempts = 1; ; attempts++) {
      const answer = await this.request(kind, method, path, options);
      if (!retryable(answer.outcome) || Date.now() > until) return { ...answer, attempts };
      await sleep(1000 + Math.random() * 1000);
    }
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
