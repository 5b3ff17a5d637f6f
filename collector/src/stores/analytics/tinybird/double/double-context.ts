/** What every request handler of the double shares. */
import type { DeleteJobs } from './delete-jobs.ts';
import type { DoubleDatabase } from './double-database.ts';
import type { TinybirdFaults } from './faults.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { DoubleRequest } from './request-log.ts';
import type { TokenAuth } from './token-auth.ts';

export interface DoubleContext {
  db: DoubleDatabase;
  auth: TokenAuth;
  faults: TinybirdFaults;
  limiter: RateLimiter;
  pipesDir: string;
  rateLimitPerSecond: number;
  maxBodyBytes: number;
  requests: DoubleRequest[];
  jobs: DeleteJobs;
  /** Delete jobs waiting or working at once before a delete answers 429. */
  maxActiveDeleteJobs: number;
  /** Aborted by close(): ends every pending delay at once. */
  closing: AbortSignal;
}
