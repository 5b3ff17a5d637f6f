/**
 * Tenant members: GET /api/v1/tenants/:tenantId/members, PATCH .../members/:userId {role} and
 * DELETE .../members/:userId (remove someone, or leave when it is yourself). The permission table lets
 * admins manage members; access/membership-rules.ts adds the owner and last-owner rules.
 */
import Router from '@koa/router';
import { ROUTE_MATCHING } from '../app/route-matching.ts';
import type { Context } from 'koa';
import type { Knex } from 'knex';
import { accessOf, isUuid, type Guards } from '../access/guards.ts';
import { assertMembershipChange } from '../access/membership-rules.ts';
import { ROLES, type Role } from '../access/permissions.ts';
import { badRequest, notFound } from '../http-error.ts';
import { actorOf, recordAudit } from './audit.ts';
import { bodyFields } from './body-fields.ts';

function toMember(row: Record<string, any>) {
  return { user_id: row.user_id, email: row.email, name: row.name, role: row.role, joined_at: new Date(row.created_at).toISOString() };
}

export function roleOf(value: unknown): Role {
  if (!ROLES.includes(value as Role)) throw badRequest(`role must be one of ${ROLES.join(', ')}`);
  return value as Role;
}

function membersOf(db: Knex, tenantId: string) {
  return db('memberships')
    .join('users', 'users.id', 'memberships.user_id')
    .where('memberships.tenant_id', tenantId)
    .select('users.id as user_id', 'users.email', 'users.name', 'memberships.role', 'memberships.created_at');
}

/**
 * Checks and applies one change to `:userId`'s membership (null removes it) in a transaction that
 * locks the tenant's owners, the actor and the target, so two owners demoting each other at once
 * cannot leave the tenant ownerless. Returns the target's role before the change.
 */
async function changeMembership(db: Knex, ctx: Context, newRole: Role | null): Promise<Role> {
  const { tenantId, userId: actorId } = accessOf(ctx) as { tenantId: string; userId: string };
  const targetId: string = ctx.params.userId;
  if (!isUuid(targetId)) throw notFound(`member ${targetId} not found`);
  return db.transaction(async (trx) => {
    const locked: { user_id: string; role: Role }[] = await trx('memberships')
      .where('tenant_id', tenantId)
      .andWhere((q) => q.where('role', 'owner').orWhereIn('user_id', [actorId, targetId]))
      .orderBy('user_id')
      .forUpdate()
      .select('user_id', 'role');
    const actor = locked.find((m) => m.user_id === actorId);
    const target = locked.find((m) => m.user_id === targetId);
    if (!actor) throw notFound(`tenant ${tenantId} not found`);
    if (!target) throw notFound(`member ${targetId} not found`);
    assertMembershipChange({
      actor: { userId: actorId, role: actor.role },
      target: { userId: targetId, role: target.role },
      newRole,
      ownerCount: locked.filter((m) => m.role === 'owner').length,
    });
    const membership = trx('memberships').where({ tenant_id: tenantId, user_id: targetId });
    if (newRole === null) {
      await membership.delete();
      await recordAudit(trx, { ...actorOf(ctx), action: 'member.remove', targetType: 'user', targetId, details: { role: target.role, left: targetId === actorId } });
    } else if (newRole !== target.role) {
      await membership.update({ role: newRole });
      await recordAudit(trx, { ...actorOf(ctx), action: 'member.role_change', targetType: 'user', targetId, details: { before: target.role, after: newRole } });
    }
    return target.role;
  });
}

export function membersRoutes(db: Knex, guards: Guards): Router {
  const router = new Router(ROUTE_MATCHING);

  router.get('/api/v1/tenants/:tenantId/members', guards.tenant('members:read'), async (ctx) => {
    const rows = await membersOf(db, accessOf(ctx).tenantId).orderBy('memberships.created_at').orderBy('users.email');
    ctx.body = { data: rows.map(toMember) };
  });

  router.patch('/api/v1/tenants/:tenantId/members/:userId', guards.tenant('members:manage'), async (ctx) => {
    const body = bodyFields(ctx.request.body, ['role']);
    await changeMembership(db, ctx, roleOf(body.role));
    ctx.body = toMember(await membersOf(db, accessOf(ctx).tenantId).where('memberships.user_id', ctx.params.userId).first());
  });

  // Any member may call this to leave; removing someone else needs members:manage (checked by the rules).
  // Removal only takes the membership away and revokes nothing else: the user's sessions stay live (they
  // may belong to other tenants) and API keys stay valid (keys belong to projects, not people). Every
  // guard reads the membership, so the user loses access to this tenant on their next request.
  router.delete('/api/v1/tenants/:tenantId/members/:userId', guards.tenant('members:read'), async (ctx) => {
    await changeMembership(db, ctx, null);
    ctx.status = 204;
  });

  return router;
}
