/**
 * Dashboard sessions: a user_sessions row (revocable server-side) plus an HS256 JWT naming it, sent
 * back as an httpOnly cookie and as `{token}` for API clients.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { Knex } from 'knex';
import { hashPassword, verifyPassword } from './passwords.ts';
import type { UserPrincipal } from './principal.ts';

const SESSION_TYPE = 'session';
const ISSUER = 'observa';
const SESSION_CACHE_MS = 5_000;

export class UserSessions {
  private cache = new Map<string, { live: boolean; checkedAt: number }>();

  private decoy: Promise<string> | null = null;

  constructor(
    private readonly db: Knex,
    private readonly secret: Uint8Array,
    private readonly ttlHours: number,
  ) {}

  private decoyHash(): Promise<string> {
    return (this.decoy ??= hashPassword(randomUUID()));
  }

  /** Returns a session token for valid credentials, null otherwise (without saying which part was wrong). */
  async login(email: string, password: string, ip: string): Promise<{ token: string; userId: string; expiresAt: Date } | null> {
    const user = await this.db('users').whereRaw('lower(email) = lower(?)', [email]).first('id', 'password_hash');
    // An unknown e-mail costs the same scrypt as a wrong password, so timing does not reveal accounts.
    const valid = await verifyPassword(password, user?.password_hash ?? (await this.decoyHash()));
    if (!user || !valid) return null;
    const id = randomUUID();
    const expiresAt = new Date(Date.now() + this.ttlHours * 3600_000);
    await this.db('user_sessions').insert({ id, user_id: user.id, expires_at: expiresAt, ip });
    const token = await new SignJWT({ typ: SESSION_TYPE, sid: id })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setSubject(user.id)
      .setIssuedAt()
      .setExpirationTime(expiresAt)
      .sign(this.secret);
    return { token, userId: user.id, expiresAt };
  }

  async logout(sessionId: string): Promise<void> {
    await this.db('user_sessions').where({ id: sessionId }).update({ revoked_at: this.db.fn.now() });
    this.cache.delete(sessionId);
  }

  /** A token that is not a session JWT (an API key, garbage) yields null so other schemes can try it. */
  async verify(token: string): Promise<UserPrincipal | null> {
    let claims;
    try {
      ({ payload: claims } = await jwtVerify(token, this.secret, { issuer: ISSUER, algorithms: ['HS256'] }));
    } catch {
      return null;
    }
    const { typ, sid, sub } = claims as Record<string, unknown>;
    if (typ !== SESSION_TYPE || typeof sid !== 'string' || typeof sub !== 'string') return null;
    if (!(await this.isLive(sid))) return null;
    return { kind: 'user', userId: sub, sessionId: sid };
  }

  private async isLive(id: string): Promise<boolean> {
    const cached = this.cache.get(id);
    if (cached && Date.now() - cached.checkedAt < SESSION_CACHE_MS) return cached.live;
    const row = await this.db('user_sessions').where({ id }).whereNull('revoked_at').where('expires_at', '>', new Date()).first('id');
    const live = Boolean(row);
    this.cache.set(id, { live, checkedAt: Date.now() });
    return live;
  }
}
