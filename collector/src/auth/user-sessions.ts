/**
 * Dashboard sessions: a user_sessions row (revocable server-side) plus an HS256 JWT naming it, sent
 * back as an httpOnly cookie and as `{token}` for API clients.
 *
 * Two limits: the JWT's `exp` is the absolute lifetime (`OBSERVA_SESSION_TTL_HOURS`); the row's
 * `expires_at` is the idle limit, slid forward on use (renew) to min(now + idle, created_at + absolute).
 * The row decides liveness, cached 5 s per process, so a revocation reaches every process within 5 s.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { Knex } from 'knex';
import { afterCommit } from '../stores/control/after-commit.ts';
import { csrfKeyFrom, csrfTokenFor } from './csrf.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import type { UserPrincipal } from './principal.ts';

const SESSION_TYPE = 'session';
const ISSUER = 'observa';
const SESSION_CACHE_MS = 5_000;
const HOUR_MS = 3600_000;
/** Renewal writes the row about once a minute per session, not on every request. */
const RENEW_EVERY_MS = 60_000;
/** Cache entries are swept once the map grows past this, so long-running processes stay small. */
const CACHE_SWEEP_SIZE = 10_000;

export interface NewSession {
  token: string;
  sessionId: string;
  userId: string;
  expiresAt: Date;
  csrfToken: string;
}

export interface SessionListing {
  id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  current: boolean;
}

interface CachedSession {
  live: boolean;
  expiresAt: number;
  checkedAt: number;
  /** When this process last tried to renew the row (0: never). */
  renewedAt: number;
}

export class UserSessions {
  private cache = new Map<string, CachedSession>();

  private decoy: Promise<string> | null = null;

  /** Renewal never lets more than a tenth of the idle window pass unrecorded (matters for short idle timeouts). */
  private readonly renewEveryMs: number;

  private readonly csrfKey: Buffer;

  constructor(
    private readonly db: Knex,
    private readonly secret: Uint8Array,
    private readonly ttlHours: number,
    private readonly idleHours: number,
  ) {
    this.renewEveryMs = Math.min(RENEW_EVERY_MS, (idleHours * HOUR_MS) / 10);
    this.csrfKey = csrfKeyFrom(secret);
  }

  private decoyHash(): Promise<string> {
    return (this.decoy ??= hashPassword(randomUUID()));
  }

  /** Checks a password against the user's stored hash (or a decoy for unknown e-mails, so timing does not reveal accounts). */
  async checkPassword(email: string, password: string): Promise<string | null> {
    const user = await this.db('users').whereRaw('lower(email) = lower(?)', [email]).first('id', 'password_hash');
    const valid = await verifyPassword(password, user?.password_hash ?? (await this.decoyHash()));
    return user && valid ? (user.id as string) : null;
  }

  /** Returns a new session for valid credentials, null otherwise (without saying which part was wrong). */
  async login(email: string, password: string, ip: string): Promise<NewSession | null> {
    const userId = await this.checkPassword(email, password);
    if (!userId) return null;
    const id = randomUUID();
    const createdAt = new Date();
    const absoluteEnd = new Date(createdAt.getTime() + this.ttlHours * HOUR_MS);
    const expiresAt = new Date(Math.min(createdAt.getTime() + this.idleHours * HOUR_MS, absoluteEnd.getTime()));
    await this.db('user_sessions').insert({ id, user_id: userId, created_at: createdAt, last_seen_at: createdAt, expires_at: expiresAt, ip });
    this.remember(id, { live: true, expiresAt: expiresAt.getTime(), checkedAt: createdAt.getTime(), renewedAt: createdAt.getTime() });
    const token = await new SignJWT({ typ: SESSION_TYPE, sid: id })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setSubject(userId)
      .setIssuedAt(createdAt)
      .setExpirationTime(absoluteEnd)
      .sign(this.secret);
    return { token, sessionId: id, userId, expiresAt, csrfToken: this.csrfTokenOf(id) };
  }

  csrfTokenOf(sessionId: string): string {
    return csrfTokenFor(this.csrfKey, sessionId);
  }

  /**
   * The session a token names, from its signature and claims alone (not whether it is still live).
   * A token that is not a session JWT (an API key, garbage) yields null so other schemes can try it.
   */
  async claimsOf(token: string): Promise<UserPrincipal | null> {
    let claims;
    try {
      ({ payload: claims } = await jwtVerify(token, this.secret, { issuer: ISSUER, algorithms: ['HS256'] }));
    } catch {
      return null;
    }
    const { typ, sid, sub } = claims as Record<string, unknown>;
    if (typ !== SESSION_TYPE || typeof sid !== 'string' || typeof sub !== 'string') return null;
    return { kind: 'user', userId: sub, sessionId: sid };
  }

  /**
   * Slides a live session's idle expiry forward when it is due (about once a minute); returns the new
   * expiry, or null when nothing was written. The `last_seen_at` condition makes several processes
   * serving one session write once between them.
   */
  async renew(sessionId: string): Promise<Date | null> {
    const now = Date.now();
    const cached = this.cache.get(sessionId);
    if (cached && now - cached.renewedAt < this.renewEveryMs) return null;
    this.remember(sessionId, { live: cached?.live ?? true, expiresAt: cached?.expiresAt ?? 0, checkedAt: cached?.checkedAt ?? 0, renewedAt: now });
    const [row] = await this.db('user_sessions')
      .where({ id: sessionId })
      .whereNull('revoked_at')
      .whereRaw('expires_at > now()')
      .whereRaw('last_seen_at <= now() - make_interval(secs => ?)', [this.renewEveryMs / 1000])
      .update({
        last_seen_at: this.db.fn.now(),
        expires_at: this.db.raw('least(now() + make_interval(secs => ?), created_at + make_interval(secs => ?))', [this.idleHours * 3600, this.ttlHours * 3600]),
      })
      .returning('expires_at');
    if (!row) return null;
    const expiresAt = new Date(row.expires_at);
    this.remember(sessionId, { live: true, expiresAt: expiresAt.getTime(), checkedAt: now, renewedAt: now });
    return expiresAt;
  }

  async logout(sessionId: string): Promise<void> {
    await this.db('user_sessions').where({ id: sessionId }).update({ revoked_at: this.db.fn.now() });
    this.cache.delete(sessionId);
  }

  /** Revokes every live session of the user except `keep` (when given), in `db` (a caller's transaction); returns how many. */
  async revokeAll(userId: string, keep: string | null = null, db: Knex = this.db): Promise<number> {
    const query = db('user_sessions').where({ user_id: userId }).whereNull('revoked_at');
    if (keep) query.whereNot({ id: keep });
    const revoked: { id: string }[] = await query.update({ revoked_at: db.fn.now() }).returning('id');
    afterCommit(db, () => revoked.forEach(({ id }) => this.cache.delete(id)));
    return revoked.length;
  }

  /** Stores a new password and, in the same transaction, revokes the user's other sessions; returns how many. */
  async changePassword(userId: string, newPassword: string, keep: string): Promise<number> {
    const hash = await hashPassword(newPassword);
    return this.db.transaction(async (trx) => {
      await trx('users').where({ id: userId }).update({ password_hash: hash });
      return this.revokeAll(userId, keep, trx);
    });
  }

  /** Revokes one session if it belongs to the user (already revoked counts); false when it is not theirs. */
  async revokeOwn(userId: string, sessionId: string): Promise<boolean> {
    const row = await this.db('user_sessions').where({ id: sessionId, user_id: userId }).first('id');
    if (!row) return false;
    await this.db('user_sessions').where({ id: sessionId }).whereNull('revoked_at').update({ revoked_at: this.db.fn.now() });
    this.cache.delete(sessionId);
    return true;
  }

  /** The user's live sessions, most recently seen first. */
  async list(userId: string, currentSessionId: string): Promise<SessionListing[]> {
    const rows = await this.db('user_sessions')
      .where({ user_id: userId })
      .whereNull('revoked_at')
      .whereRaw('expires_at > now()')
      .orderBy([{ column: 'last_seen_at', order: 'desc' }, { column: 'id' }])
      .select('id', 'created_at', 'last_seen_at', 'expires_at', 'ip');
    return rows.map((r) => ({
      id: r.id,
      created_at: new Date(r.created_at).toISOString(),
      last_seen_at: new Date(r.last_seen_at).toISOString(),
      expires_at: new Date(r.expires_at).toISOString(),
      ip: r.ip,
      current: r.id === currentSessionId,
    }));
  }

  /** The live session's current expiry (after any renewal), or null when it is no longer live. */
  async expiryOf(sessionId: string): Promise<Date | null> {
    const row = await this.db('user_sessions').where({ id: sessionId }).whereNull('revoked_at').whereRaw('expires_at > now()').first('expires_at');
    return row ? new Date(row.expires_at) : null;
  }

  /** Whether the session is neither revoked nor expired (cached 5 s per process). */
  async isLive(id: string): Promise<boolean> {
    const now = Date.now();
    const cached = this.cache.get(id);
    if (cached && now - cached.checkedAt < SESSION_CACHE_MS) return cached.live && now < cached.expiresAt;
    const expiresAt = await this.expiryOf(id);
    this.remember(id, { live: expiresAt !== null, expiresAt: expiresAt?.getTime() ?? 0, checkedAt: now, renewedAt: cached?.renewedAt ?? 0 });
    return expiresAt !== null;
  }

  private remember(id: string, entry: CachedSession): void {
    if (this.cache.size >= CACHE_SWEEP_SIZE) {
      const stale = Date.now() - Math.max(SESSION_CACHE_MS, this.renewEveryMs);
      for (const [key, value] of this.cache) if (value.checkedAt < stale && value.renewedAt < stale) this.cache.delete(key);
    }
    this.cache.set(id, entry);
  }
}
