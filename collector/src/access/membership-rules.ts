/**
 * The membership rules beyond the permission table, in one place: granting the owner role and
 * touching an owner are for owners only; admins manage admins, members and viewers; anyone may leave;
 * a tenant never loses its last owner.
 */
import { HttpError, forbidden } from '../http-error.ts';
import { PERMISSIONS, roleAtLeast, type Role } from './permissions.ts';

export interface MembershipChange {
  actor: { userId: string; role: Role };
  /** The membership changed or removed; null for an invitation (a member yet to come). */
  target: { userId: string; role: Role } | null;
  /** The role granted; null removes the membership. */
  newRole: Role | null;
  /** How many owners the tenant has now (read under a lock when it matters). */
  ownerCount: number;
}

/** Throws 403 when the actor may not make this change, 409 when it would leave the tenant without an owner. */
export function assertMembershipChange({ actor, target, newRole, ownerCount }: MembershipChange): void {
  const leaving = target !== null && target.userId === actor.userId && newRole === null;
  const manage = PERMISSIONS['members:manage'];
  if (!leaving && !roleAtLeast(actor.role, manage.minRole)) throw forbidden(`role "${actor.role}" may not ${manage.action}`);
  const touchesOwner = newRole === 'owner' || target?.role === 'owner';
  if (touchesOwner && !leaving && actor.role !== 'owner') throw forbidden('only owners may grant the owner role or change or remove an owner');
  if (target?.role === 'owner' && newRole !== 'owner' && ownerCount <= 1) {
    throw new HttpError(409, 'the tenant would have no owner: make another member owner first');
  }
}
