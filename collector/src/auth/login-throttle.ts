/**
 * Login throttling per account and per client IP. The counts come from the audit log (failed password
 * checks are audited anyway), so every collector process sharing the database sees the same numbers
 * without a separate store. Indexed by migration 0007 on (action, target_id | ip, created_at).
 */
import type { Knex } from 'knex';

export const WINDOW_MINUTES = 15;
/** Audit actions that count as a failed password check for an account (target_id = lowercased e-mail). */
export const FAILED_PASSWORD_ACTIONS = ['auth.login.failure', 'auth.password.change.failure'];
const LOGIN_SUCCESS = 'auth.login.success';

export interface LoginLimits {
  maxFailuresPerAccount: number;
  maxFailuresPerIp: number;
}

export interface Throttled {
  limit: 'account' | 'ip';
  failures: number;
  retryAfterSeconds: number;
  message: string;
}

export class LoginThrottle {
  private readonly attempts = new Map<string, Promise<unknown>>();

  constructor(
    private readonly db: Knex,
    private readonly limits: LoginLimits,
  ) {}

  /**
   * Runs the password attempts on one account one at a time in this process: otherwise parallel
   * attempts would all read the failure count before any of their failures is recorded. Across N
   * processes at most N - 1 attempts get past the limit.
   */
  async oneAtATime<T>(email: string, attempt: () => Promise<T>): Promise<T> {
    const account = email.toLowerCase();
    const run = (this.attempts.get(account) ?? Promise.resolve()).then(attempt);
    const settled = run.catch(() => undefined);
    this.attempts.set(account, settled);
    try {
      return await run;
    } finally {
      if (this.attempts.get(account) === settled) this.attempts.delete(account);
    }
  }

  /**
   * Null when an attempt may check a password; else the limit reached and how long until it is not.
   * Per account, failures count since the account's last successful login; per IP, all of them.
   */
  async check(email: string, ip: string): Promise<Throttled | null> {
    const account = email.toLowerCase();
    const accountWait = await this.waitSeconds(
      this.recentFailures().where('target_id', account).where(
        'created_at', '>', this.db.raw("coalesce((SELECT max(created_at) FROM audit_logs WHERE action = ? AND target_id = ?), '-infinity')", [LOGIN_SUCCESS, account]),
      ),
      this.limits.maxFailuresPerAccount,
    );
    const ipWait = await this.waitSeconds(this.recentFailures().where('ip', ip), this.limits.maxFailuresPerIp);
    if (accountWait === null && ipWait === null) return null;
    if (ipWait === null || (accountWait !== null && accountWait >= ipWait)) {
      const n = this.limits.maxFailuresPerAccount;
      return { limit: 'account', failures: n, retryAfterSeconds: accountWait!, message: `too many failed logins for this account: ${n} in ${WINDOW_MINUTES} minutes; retry in ${accountWait} s` };
    }
    const n = this.limits.maxFailuresPerIp;
    return { limit: 'ip', failures: n, retryAfterSeconds: ipWait, message: `too many failed logins from this address: ${n} in ${WINDOW_MINUTES} minutes; retry in ${ipWait} s` };
  }

  private recentFailures(): Knex.QueryBuilder {
    return this.db('audit_logs')
      .whereIn('action', FAILED_PASSWORD_ACTIONS)
      .whereRaw('created_at > now() - make_interval(mins => ?)', [WINDOW_MINUTES]);
  }

  /**
   * With `max` or more failures in the window, the seconds until the count drops below `max`: when the
   * max-th most recent failure leaves the window. Null below the limit.
   */
  private async waitSeconds(failures: Knex.QueryBuilder, max: number): Promise<number | null> {
    const row = await failures
      .orderBy('created_at', 'desc')
      .offset(max - 1)
      .first(this.db.raw('ceil(extract(epoch FROM created_at + make_interval(mins => ?) - now()))::int AS wait', [WINDOW_MINUTES]));
    return row ? Math.max(1, Number(row.wait)) : null;
  }
}
