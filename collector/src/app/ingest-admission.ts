/**
 * Ingestion admission, built once per collector and shared by every ingestion transport: the OTLP/HTTP
 * and events routes run `steps` as Koa middleware (app.ts), the OTLP/gRPC receiver runs them per call
 * with `runAdmitted` (receivers/otlp-grpc.ts). One set of objects means one set of counters: a tenant's
 * rate limit, the bodies in flight and the backpressure that /healthz shows cover both transports.
 *
 * The steps, each cheap and before any body byte is decoded: the per-IP limit, a live key with the
 * ingest scope, the tenant's limits, the collector's backlog and memory bounds, then a slot among the
 * bodies in flight (held until the answer).
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { ApiKeys } from '../auth/api-keys.ts';
import { Authenticator } from '../auth/authenticate.ts';
import type { UserSessions } from '../auth/user-sessions.ts';
import type { Config } from '../config.ts';
import { Backpressure } from '../limits/backpressure.ts';
import { InFlightBodies } from '../limits/in-flight-bodies.ts';
import { QuotaAdmission } from '../limits/quota-admission.ts';
import type { RateLimitStore } from '../limits/rate-limit-store.ts';
import { createRateLimits, type RateLimits } from '../limits/rate-limits.ts';
import type { OutboxShipper } from '../pipeline/outbox-shipper.ts';
import type { AdmissionContext, AdmissionStep } from './admission-context.ts';

export interface IngestAdmissionDeps {
  config: Config;
  log: Logger;
  db: Knex;
  apiKeys: ApiKeys;
  sessions: UserSessions;
  shipper: OutboxShipper;
  /** Counters of the rate limits (Postgres or Redis); the collector closes it on stop. */
  rateLimitStore: RateLimitStore;
}

export interface IngestAdmission {
  /** Also checks the JSON API's credentials (access/guards.ts). */
  auth: Authenticator;
  /** All four request limits: the JSON API's two are used by app.ts. */
  limits: RateLimits;
  /** The usage routes drop a tenant's cached quota when it changes. */
  quotaAdmission: QuotaAdmission;
  backpressure: Backpressure;
  inFlight: InFlightBodies;
  /** The admission steps in order. */
  steps: AdmissionStep[];
}

export function createIngestAdmission(deps: IngestAdmissionDeps): IngestAdmission {
  const { config, log, db, apiKeys, sessions, shipper, rateLimitStore } = deps;
  const auth = new Authenticator(apiKeys, sessions);
  // Request limits shared by every collector process (limits/rate-limits.ts); the guards apply the
  // per-tenant API limit once they know the tenant.
  const limits = createRateLimits(config.rateLimits, rateLimitStore, log);
  // The collector's own bounds on ingestion (limits/backpressure.ts, limits/in-flight-bodies.ts); /healthz shows them.
  const backpressure = new Backpressure(config.backpressure, () => shipper.backlog());
  const inFlight = new InFlightBodies({ ...config.inFlight, bodyIdleMs: config.httpTimeouts.bodyIdleMs });
  const quotaAdmission = new QuotaAdmission(db);
  const steps = [limits.ingestPerIp, auth.requireKey('ingest'), limits.ingestPerTenant, quotaAdmission.middleware(), backpressure.middleware(), inFlight.middleware()];
  return { auth, limits, quotaAdmission, backpressure, inFlight, steps };
}

/**
 * Runs the admission steps over `ctx`, then `handler` inside them, so a slot a step holds (in flight)
 * is released only once the handler settled. A refusal throws the step's HttpError; the handler's
 * own errors pass through.
 */
export async function runAdmitted<T>(steps: readonly AdmissionStep[], ctx: AdmissionContext, handler: () => Promise<T>): Promise<T> {
  let answered: { value: T } | null = null;
  const dispatch = async (index: number): Promise<void> => {
    if (index < steps.length) return steps[index](ctx, () => dispatch(index + 1));
    answered = { value: await handler() };
  };
  await dispatch(0);
  // Every step either refuses (throws) or calls next: a step that did neither is a bug, not an admission.
  if (!answered) throw new Error('an admission step neither refused nor admitted the request');
  return (answered as { value: T }).value;
}
