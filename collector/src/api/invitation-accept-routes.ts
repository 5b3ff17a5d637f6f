/**
 * Public side of invitations, reached through the one-time link: GET /api/v1/invitations/:token (what
 * the link offers) and POST /api/v1/invitations/:token/accept (a signed-in user joins with their account;
 * an anonymous caller creates the invited account and is signed in). Each token is accepted once.
 */
import Router from '@koa/router';
import { ROUTE_MATCHING } from '../app/route-matching.ts';
import { randomUUID } from 'node:crypto';
import type { Context } from 'koa';
import type { Knex } from 'knex';
import type { Authenticator } from '../auth/authenticate.ts';
import { originMatchesHost } from '../auth/csrf.ts';
import { hashInvitationToken, isInvitationTokenShaped } from '../auth/invitation-tokens.ts';
import { hashPassword, newPasswordOf } from '../auth/passwords.ts';
import type { Principal } from '../auth/principal.ts';
import { setSessionCookies } from '../auth/session-cookies.ts';
import type { UserSessions } from '../auth/user-sessions.ts';
import { badRequest, forbidden, HttpError, notFound } from '../http-error.ts';
import { recordAudit } from './audit.ts';
import { pendingInvitations } from './invitations-routes.ts';
import { bodyFields, nameField } from './body-fields.ts';

const ACCOUNT_FIELDS = ['name', 'password'];

interface Invitation {
  id: string;
  tenant_id: string;
  email: string;
  role: string;
}

// One answer for unknown, used, expired and revoked tokens: a link tells nothing about why it is dead.
const deadLink = () => notFound('invitation not found: it may have been used, revoked or have expired');

function tokenHashOf(ctx: Context): string {
  const token: string = ctx.params.token;
  if (!isInvitationTokenShaped(token)) throw deadLink();
  return hashInvitationToken(token);
}

/**
 * Marks the invitation accepted and returns it, or throws 404. The conditional UPDATE locks the row, so
 * of two concurrent accepts the second waits, then finds it accepted. Callers run it in the transaction
 * that adds the membership: a refusal after it rolls the acceptance back.
 */
async function claim(trx: Knex.Transaction, tokenHash: string): Promise<Invitation> {
  const [invitation] = await pendingInvitations(trx).where({ token_hash: tokenHash })
    .update({ accepted_at: trx.fn.now() }).returning(['id', 'tenant_id', 'email', 'role']);
  if (!invitation) throw deadLink();
  return invitation;
}

async function join(trx: Knex.Transaction, invitation: Invitation, userId: string, ip: string, newAccount: boolean): Promise<void> {
  const added = await trx('memberships').insert({ tenant_id: invitation.tenant_id, user_id: userId, role: invitation.role })
    .onConflict(['tenant_id', 'user_id']).ignore().returning('user_id');
  if (added.length === 0) throw new HttpError(409, 'you are already a member of this tenant');
  await trx('invitations').where({ id: invitation.id }).update({ accepted_by: userId });
  await recordAudit(trx, {
    action: 'invitation.accept', tenantId: invitation.tenant_id, actorUserId: userId, ip, targetType: 'invitation', targetId: invitation.id,
    details: { email: invitation.email, role: invitation.role, new_account: newAccount },
  });
}

/** The caller's principal, or null without a usable credential (an expired session counts as none). */
async function callerOf(auth: Authenticator, ctx: Context): Promise<Principal | null> {
  try {
    return await auth.identify(ctx);
  } catch (err) {
    if (err instanceof HttpError && err.status === 401) return null;
    throw err;
  }
}

function newAccountOf(body: Record<string, unknown>): { name: string; password: string } {
  const { name, password } = body;
  if (name === undefined && password === undefined) throw badRequest('sign in to accept with your account, or send {"name", "password"} to create the invited account');
  bodyFields(body, ACCOUNT_FIELDS);
  return { name: nameField(name), password: newPasswordOf(password, 'password') };
}

async function accountExists(db: Knex, email: string): Promise<boolean> {
  return Boolean(await db('users').whereRaw('lower(email) = ?', [email]).first('id'));
}

const accountExistsError = () => new HttpError(409, 'an account with this e-mail already exists: sign in first, then accept the invitation');

export function invitationAcceptRoutes(db: Knex, sessions: UserSessions, auth: Authenticator): Router {
  const router = new Router(ROUTE_MATCHING);

  router.get('/api/v1/invitations/:token', async (ctx) => {
    const row = await pendingInvitations(db).join('tenants', 'tenants.id', 'invitations.tenant_id')
      .where('invitations.token_hash', tokenHashOf(ctx))
      .first('tenants.name as tenant_name', 'invitations.email', 'invitations.role', 'invitations.expires_at');
    if (!row) throw deadLink();
    // account_exists tells the page whether to offer sign-in or sign-up; only the link holder sees it.
    ctx.body = { tenant_name: row.tenant_name, email: row.email, role: row.role, expires_at: new Date(row.expires_at).toISOString(), account_exists: await accountExists(db, row.email) };
  });

  router.post('/api/v1/invitations/:token/accept', async (ctx) => {
    const tokenHash = tokenHashOf(ctx);
    const caller = await callerOf(auth, ctx);
    if (caller?.kind === 'api_key') throw forbidden('API keys cannot accept invitations; sign in as the invited user');

    if (caller) {
      const me = await db('users').where({ id: caller.userId }).first('email');
      const invitation = await db.transaction(async (trx) => {
        const claimed = await claim(trx, tokenHash);
        if (claimed.email !== me.email.toLowerCase()) throw forbidden(`this invitation is for ${claimed.email}; you are signed in as ${me.email}`);
        await join(trx, claimed, caller.userId, ctx.ip, false);
        return claimed;
      });
      ctx.body = { tenant_id: invitation.tenant_id, role: invitation.role, user_id: caller.userId };
      return;
    }

    // Like login: another site's page must not sign this browser into an account it created.
    const origin = ctx.get('origin');
    if (origin && !originMatchesHost(origin, ctx.host)) throw forbidden(`refused: Origin ${origin} does not match this server (${ctx.host})`);
    const account = newAccountOf((ctx.request.body ?? {}) as Record<string, unknown>);
    const pending = await pendingInvitations(db).where({ token_hash: tokenHash }).first('email');
    if (!pending) throw deadLink();
    if (await accountExists(db, pending.email)) throw accountExistsError();
    // scrypt before the transaction, so the invitation row is locked only for the inserts.
    const passwordHash = await hashPassword(account.password);
    const userId = randomUUID();
    const invitation = await db.transaction(async (trx) => {
      const claimed = await claim(trx, tokenHash);
      const created = await trx('users').insert({ id: userId, email: claimed.email, name: account.name, password_hash: passwordHash })
        .onConflict('email').ignore().returning('id');
      // Invited e-mails are lowercase, so the unique index catches an account created since the check above.
      if (created.length === 0) throw accountExistsError();
      await join(trx, claimed, userId, ctx.ip, true);
      return claimed;
    });
    const session = await sessions.login(invitation.email, account.password, ctx.ip);
    if (!session) throw new Error('the account just created could not sign in');
    await recordAudit(db, { action: 'auth.login.success', actorUserId: userId, ip: ctx.ip, targetType: 'user', targetId: invitation.email });
    setSessionCookies(ctx, session);
    ctx.status = 201;
    ctx.body = { token: session.token, user_id: userId, expires_at: session.expiresAt.toISOString(), csrf_token: session.csrfToken, tenant_id: invitation.tenant_id, role: invitation.role };
  });

  return router;
}
