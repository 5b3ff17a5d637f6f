/**
 * Tenants: GET /api/v1/tenants (the caller's, with their role; `?all=true` for instance administrators),
 * POST /api/v1/tenants (instance administrators: tenant + default project + owner), GET /api/v1/tenants/:tenantId.
 */
import Router from '@koa/router';
import { ROUTE_MATCHING } from '../app/route-matching.ts';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { accessOf, userOf, type Guards } from '../access/guards.ts';
import { badRequest, forbidden, HttpError } from '../http-error.ts';
import { actorOf, recordAudit } from './audit.ts';
import { slugOf } from './slug.ts';
import { bodyFields, nameField } from './body-fields.ts';

const COLUMNS = ['tenants.id', 'tenants.slug', 'tenants.name', 'tenants.created_at', 'tenants.monthly_event_quota'];
const CREATE_FIELDS = ['name', 'slug', 'owner_email'];

function toTenant(row: Record<string, any>, role: string | null) {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    created_at: new Date(row.created_at).toISOString(),
    monthly_event_quota: row.monthly_event_quota === null ? null : Number(row.monthly_event_quota),
    role,
  };
}

function allFlagOf(value: unknown): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw badRequest('all must be true or false');
}

async function isInstanceAdmin(db: Knex, userId: string): Promise<boolean> {
  return Boolean((await db('users').where({ id: userId }).first('is_instance_admin'))?.is_instance_admin);
}

/** The user who will own a new tenant: the caller, or the existing account named by owner_email. */
async function ownerOf(db: Knex, callerId: string, ownerEmail: unknown): Promise<string> {
  if (ownerEmail === undefined) return callerId;
  if (typeof ownerEmail !== 'string' || ownerEmail.trim() === '') throw badRequest('owner_email must be the e-mail of an existing user');
  const user = await db('users').whereRaw('lower(email) = lower(?)', [ownerEmail.trim()]).first('id');
  if (!user) throw badRequest(`owner_email: no user has the e-mail ${ownerEmail.trim()}; create the tenant and invite them instead`);
  return user.id;
}

export function tenantsRoutes(db: Knex, guards: Guards): Router {
  const router = new Router(ROUTE_MATCHING);

  router.get('/api/v1/tenants', guards.signedIn(), async (ctx) => {
    const { userId } = userOf(ctx);
    const all = allFlagOf(ctx.query.all);
    if (all && !(await isInstanceAdmin(db, userId))) throw forbidden('only instance administrators may list all tenants (all=true)');
    const query = db('tenants').select([...COLUMNS, 'memberships.role']).orderBy('tenants.created_at').orderBy('tenants.slug');
    if (all) query.leftJoin('memberships', (j) => j.on('memberships.tenant_id', 'tenants.id').andOnVal('memberships.user_id', userId));
    else query.join('memberships', 'memberships.tenant_id', 'tenants.id').where('memberships.user_id', userId);
    ctx.body = { data: (await query).map((row) => toTenant(row, row.role ?? null)) };
  });

  router.post('/api/v1/tenants', guards.instanceAdmin(), async (ctx) => {
    const body = bodyFields(ctx.request.body, CREATE_FIELDS);
    const name = nameField(body.name);
    const slug = slugOf(body.slug, name, 'tenant');
    const callerId = accessOf(ctx).userId as string;
    const ownerId = await ownerOf(db, callerId, body.owner_email);
    const tenantId = randomUUID();
    const projectId = randomUUID();
    const row = await db.transaction(async (trx) => {
      const [tenant] = await trx('tenants').insert({ id: tenantId, slug, name }).onConflict('slug').ignore().returning(COLUMNS.map((c) => c.slice('tenants.'.length)));
      if (!tenant) throw new HttpError(409, `a tenant with slug "${slug}" already exists`);
      await trx('projects').insert({ id: projectId, tenant_id: tenantId, slug: 'default', name: 'Default project' });
      await trx('memberships').insert({ tenant_id: tenantId, user_id: ownerId, role: 'owner' });
      await recordAudit(trx, {
        ...actorOf(ctx), tenantId, action: 'tenant.create', targetType: 'tenant', targetId: tenantId,
        details: { name, slug, owner_user_id: ownerId, default_project_id: projectId },
      });
      return tenant;
    });
    ctx.status = 201;
    ctx.body = { ...toTenant(row, ownerId === callerId ? 'owner' : null), owner_user_id: ownerId, default_project_id: projectId };
  });

  router.get('/api/v1/tenants/:tenantId', guards.tenant('members:read'), async (ctx) => {
    const { tenantId, role } = accessOf(ctx);
    ctx.body = toTenant(await db('tenants').where({ id: tenantId }).first(COLUMNS), role);
  });

  return router;
}
