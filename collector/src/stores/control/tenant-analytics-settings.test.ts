/** Tenant analytics settings on the real control plane: defaults, sealed tokens, partial updates, caching. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox } from '../../crypto/secret-box.ts';
import { useTestControlPlane } from '../../testing/test-control-plane.ts';
import { IncompleteAnalyticsSettings, TenantAnalyticsSettings } from './tenant-analytics-settings.ts';

const context = useTestControlPlane();
const box = new SecretBox(randomBytes(48));
const deployment = { host: 'https://api.tinybird.co', appendToken: 'deployment-append-token-0001', adminToken: 'deployment-admin-token-0002', workspaceId: 'ws-deployment' };
const own = { host: 'https://api.eu-west-1.aws.tinybird.co', appendToken: 'p.tenant-append-token-abcd', adminToken: 'p.tenant-admin-token-wxyz', workspaceId: 'ws-tenant' };

describe('TenantAnalyticsSettings', () => {
  it('gives the deployment default to a tenant without settings, and says so without its tokens', async () => {
    const { tenantId } = await context.cp.createProject();
    const settings = new TenantAnalyticsSettings(context.cp.db, box, deployment);
    expect(await settings.forTenant(tenantId)).toEqual(deployment);
    expect(await settings.forTenant('t-not-a-uuid')).toEqual(deployment);
    expect(await settings.describe(tenantId)).toEqual({
      host: deployment.host, workspace_id: 'ws-deployment',
      append_token: { set: true, last4: null }, admin_token: { set: true, last4: null }, source: 'default', updated_at: null,
    });
    const none = new TenantAnalyticsSettings(context.cp.db, box, null);
    await expect(none.forTenant(tenantId)).rejects.toThrow('no deployment default');
    expect((await none.describe(tenantId)).append_token).toEqual({ set: false, last4: null });
  });

  it('stores tokens sealed, never in clear, and serves them back', async () => {
    const { tenantId } = await context.cp.createProject();
    const settings = new TenantAnalyticsSettings(context.cp.db, box, deployment);
    const view = await settings.put(tenantId, own, null);
    expect(view).toMatchObject({
      host: own.host, workspace_id: 'ws-tenant', source: 'tenant',
      append_token: { set: true, last4: 'abcd' }, admin_token: { set: true, last4: 'wxyz' },
    });
    expect(await settings.forTenant(tenantId)).toEqual(own);

    const row = await context.cp.db('tenant_analytics_settings').where({ tenant_id: tenantId }).first();
    const stored = JSON.stringify(row);
    expect(stored).not.toContain('tenant-append-token');
    expect(stored).not.toContain('tenant-admin-token');
    expect(row.append_token_enc).toMatch(/^v1:[^:]+:[^:]+:[^:]+$/);
  });

  it('keeps stored tokens when an update omits them, and needs everything the first time', async () => {
    const { tenantId } = await context.cp.createProject();
    const settings = new TenantAnalyticsSettings(context.cp.db, box, deployment);
    const error = await settings.put(tenantId, { host: own.host }, null).catch((err) => err);
    expect(error).toBeInstanceOf(IncompleteAnalyticsSettings);
    expect(error.missing).toEqual(['workspace_id', 'append_token', 'admin_token']);

    await settings.put(tenantId, own, null);
    await settings.put(tenantId, { appendToken: 'p.rotated-append-token-9876' }, null);
    expect(await settings.forTenant(tenantId)).toEqual({ ...own, appendToken: 'p.rotated-append-token-9876' });
  });

  it('caches per process for a few seconds; an update through the same instance applies at once', async () => {
    const { tenantId } = await context.cp.createProject();
    const reader = new TenantAnalyticsSettings(context.cp.db, box, deployment);
    const writer = new TenantAnalyticsSettings(context.cp.db, box, deployment);
    expect(await reader.forTenant(tenantId)).toEqual(deployment);
    await writer.put(tenantId, own, null);
    expect(await reader.forTenant(tenantId)).toEqual(deployment); // another process: cached until CACHE_MS
    expect(await writer.forTenant(tenantId)).toEqual(own);
  });

  it('fails clearly when a stored token does not decrypt, and lets an update replace it', async () => {
    const { tenantId } = await context.cp.createProject();
    await new TenantAnalyticsSettings(context.cp.db, box, deployment).put(tenantId, own, null);
    const afterSecretChange = new TenantAnalyticsSettings(context.cp.db, new SecretBox(randomBytes(48)), deployment);
    await expect(afterSecretChange.forTenant(tenantId)).rejects.toThrow(/does not decrypt .*PUT \/api\/v1\/tenants\//);
    expect((await afterSecretChange.describe(tenantId)).append_token).toEqual({ set: true, last4: null });
    await expect(afterSecretChange.put(tenantId, { host: own.host }, null)).rejects.toThrow(IncompleteAnalyticsSettings);
    await afterSecretChange.put(tenantId, { appendToken: own.appendToken, adminToken: own.adminToken }, null);
    expect(await afterSecretChange.forTenant(tenantId)).toEqual(own);
  });
});
