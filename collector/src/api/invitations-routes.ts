/**
 * Invitations into a tenant, managed by its owners and admins: POST /api/v1/tenants/:tenantId/invitations
 * {email, role} (the one-time token is in this answer only), GET (pending ones), DELETE .../:invitationId.
 * Accepting is public (invitation-accept-routes.ts).
 */
import Router from '@koa/router';
import { ROUTE_MATCHING } from '../app/route-matching.ts';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { accessOf, isUuid, type Access, type Guards } from '../access/guards.ts';
import { assertMembershipChange } from '../access/membership-rules.ts';
import type { Role } from '../access/permissions.ts';
import { newInvitationToken } from '../auth/invitation-tokens.ts';
import { badRequest, HttpError, notFound } from '../http-error.ts';
import { actorOf, recordAudit } from './audit.ts';
import { roleOf } from './members-routes.ts';
import { bodyFields } from './body-fields.ts';

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const CREATE_FIELDS = ['email', 'role'];

/** E-mails are compared lowercased everywhere (login does too), so invitations store them that way. */
function emailOf(value: unknown): string {
  const email = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (!EMAIL.test(email) || email.length > 254) throw badRequest('email must be an e-mail address');
  return email;
}

/** The tenant's invitations still waiting: neither accepted, revoked nor expired. */
export function pendingInvitations(db: Knex) {
  return db('invitations').whereNull('invitations.accepted_at').whereNull('invitations.revoked_at').where('invitations.expires_at', '>', db.fn.now());
}

function toInvitation(row: Record<string, any>) {
  return {
    id: row.id, email: row.email, role: row.role, invited_by: row.invited_by ?? null, invited_by_email: row.invited_by_email ?? null,
    created_at: new Date(row.created_at).toISOString(), expires_at: new Date(row.expires_at).toISOString(),
  };
}

export function invitationsRoutes(db: Knex, ttlHours: number, guards: Guards): Router {
  const router = new Router(ROUTE_MATCHING);

  router.post('/api/v1/tenants/:tenantId/invitations', guards.tenant('members:manage'), async (ctx) => {
    const { tenantId, userId, role: actorRole } = accessOf(ctx) as Access & { userId: string; role: Role };
    const body = bodyFields(ctx.request.body, CREATE_FIELDS);
    const email = emailOf(body.email);
    const role = roleOf(body.role);
    assertMembershipChange({ actor: { userId, role: actorRole }, target: null, newRole: role, ownerCount: 0 });
    const member = await db('memberships').join('users', 'users.id', 'memberships.user_id')
      .where('memberships.tenant_id', tenantId).whereRaw('lower(users.email) = ?', [email]).first('users.id');
    if (member) throw new HttpError(409, `${email} is already a member of this tenant`);
    if (await pendingInvitations(db).where({ tenant_id: tenantId, email }).first('id')) {
      throw new HttpError(409, `${email} already has a pending invitation; revoke it to send a new one`);
    }
    const { token, tokenHash } = newInvitationToken();
    const id = randomUUID();
    const expiresAt = new Date(Date.now() + ttlHours * 3600_000);
    await db.transaction(async (trx) => {
      await trx('invitations').insert({ id, tenant_id: tenantId, email, role, token_hash: tokenHash, invited_by: userId, expires_at: expiresAt });
      await recordAudit(trx, { ...actorOf(ctx), action: 'member.invite', targetType: 'invitation', targetId: id, details: { email, role } });
    });
    ctx.status = 201;
    // The link's origin is the one this request reached (behind a proxy: OBSERVA_TRUST_PROXY); its path is
    // the dashboard's invitation page. Browsers send cross-site only the origin as Referer, never the path.
    ctx.body = { id, email, role, expires_at: expiresAt.toISOString(), token, accept_url: `${ctx.protocol}://${ctx.host}/invitations/${token}` };
  });

  router.get('/api/v1/tenants/:tenantId/invitations', guards.tenant('members:manage'), async (ctx) => {
    const rows = await pendingInvitations(db)
      .leftJoin('users', 'users.id', 'invitations.invited_by')
      .where('invitations.tenant_id', accessOf(ctx).tenantId)
      .orderBy('invitations.created_at', 'desc')
      .select('invitations.id', 'invitations.email', 'invitations.role', 'invitations.invited_by', 'users.email as invited_by_email', 'invitations.created_at', 'invitations.expires_at');
    ctx.body = { data: rows.map(toInvitation) };
  });

  router.delete('/api/v1/tenants/:tenantId/invitations/:invitationId', guards.tenant('members:manage'), async (ctx) => {
    const { invitationId } = ctx.params;
    const gone = () => notFound(`invitation ${invitationId} not found, or already accepted or revoked`);
    if (!isUuid(invitationId)) throw gone();
    await db.transaction(async (trx) => {
      const [revoked] = await trx('invitations').where({ id: invitationId, tenant_id: accessOf(ctx).tenantId }).whereNull('accepted_at').whereNull('revoked_at')
        .update({ revoked_at: trx.fn.now() }).returning(['email', 'role']);
      if (!revoked) throw gone();
      await recordAudit(trx, { ...actorOf(ctx), action: 'invitation.revoke', targetType: 'invitation', targetId: invitationId, details: { email: revoked.email, role: revoked.role } });
    });
    ctx.status = 204;
  });

  return router;
}
