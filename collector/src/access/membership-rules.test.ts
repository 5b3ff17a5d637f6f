import { describe, expect, it } from 'vitest';
import type { HttpError } from '../http-error.ts';
import { assertMembershipChange, type MembershipChange } from './membership-rules.ts';
import type { Role } from './permissions.ts';

const ME = 'me';
const OTHER = 'other';

function statusOf(change: MembershipChange): number {
  try {
    assertMembershipChange(change);
    return 200;
  } catch (err) {
    return (err as HttpError).status;
  }
}

function change(actorRole: Role, target: [string, Role] | null, newRole: Role | null, ownerCount = 2): number {
  return statusOf({ actor: { userId: ME, role: actorRole }, target: target && { userId: target[0], role: target[1] }, newRole, ownerCount });
}

describe('assertMembershipChange', () => {
  it('lets owners grant and take every role, admins everything but owner', () => {
    expect(change('owner', [OTHER, 'member'], 'owner')).toBe(200);
    expect(change('owner', [OTHER, 'owner'], 'viewer')).toBe(200);
    expect(change('owner', [OTHER, 'owner'], null)).toBe(200);
    expect(change('admin', [OTHER, 'member'], 'admin')).toBe(200);
    expect(change('admin', [OTHER, 'admin'], 'viewer')).toBe(200);
    expect(change('admin', [OTHER, 'viewer'], null)).toBe(200);
    expect(change('admin', [OTHER, 'member'], 'owner')).toBe(403);
    expect(change('admin', [OTHER, 'owner'], 'admin')).toBe(403);
    expect(change('admin', [OTHER, 'owner'], null)).toBe(403);
    expect(change('admin', [ME, 'admin'], 'owner')).toBe(403);
  });

  it('applies the owner rule to invitations', () => {
    expect(change('owner', null, 'owner')).toBe(200);
    expect(change('admin', null, 'admin')).toBe(200);
    expect(change('admin', null, 'owner')).toBe(403);
    expect(change('member', null, 'viewer')).toBe(403);
  });

  it('refuses members and viewers managing others, but lets anyone leave', () => {
    expect(change('member', [OTHER, 'viewer'], null)).toBe(403);
    expect(change('viewer', [OTHER, 'viewer'], 'member')).toBe(403);
    expect(change('member', [ME, 'member'], 'admin')).toBe(403);
    expect(change('viewer', [ME, 'viewer'], null)).toBe(200);
    expect(change('owner', [ME, 'owner'], null, 2)).toBe(200);
  });

  it('never leaves a tenant without an owner', () => {
    expect(change('owner', [ME, 'owner'], null, 1)).toBe(409);
    expect(change('owner', [ME, 'owner'], 'admin', 1)).toBe(409);
    expect(change('owner', [ME, 'owner'], 'admin', 2)).toBe(200);
    expect(change('owner', [ME, 'owner'], 'owner', 1)).toBe(200);
  });
});
