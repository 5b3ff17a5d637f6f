/**
 * The part of a request the ingestion admission steps read and write (app/ingest-admission.ts): its
 * client address, its headers, the response headers the rate limits set, and the state the key check
 * fills in. Koa's Context has all of it (the compiler checks that where app.ts mounts the steps); the
 * OTLP/gRPC receiver builds one per call from the call's peer and metadata
 * (receivers/otlp-grpc-admission.ts), so both transports pass the same checks with the same counters.
 */
import type { IncomingMessage } from 'node:http';
import type { Next } from 'koa';

export interface AdmissionContext {
  /** The client's address: the socket's (or, over HTTP with OBSERVA_TRUST_PROXY, X-Forwarded-For's client); '' when unknown. */
  readonly ip: string;
  /** A request header by lower-case name, '' when absent (authorization, x-observa-api-key, content-length). */
  get(field: string): string;
  /** Sets response headers (the RateLimit-* headers of the tightest limit). */
  set(headers: Record<string, string>): void;
  readonly response: { get(field: string): string };
  /** Only HTTP requests carry cookies; the key check looks there last. */
  readonly cookies: { get(name: string): string | undefined };
  /** Filled by the key check: `auth` (the principal) and `access` (its tenant and project). */
  state: Record<string, unknown>;
  /** The HTTP request whose body the route reads after admission; none for gRPC, whose message arrives whole before it. */
  readonly req?: IncomingMessage;
}

/** One admission step: refuses by throwing an HttpError, or admits by calling `next` (and may hold a resource until it returns). */
export type AdmissionStep = (ctx: AdmissionContext, next: Next) => Promise<void>;
