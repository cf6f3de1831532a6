/**
 * Who may do what, as the security architecture's RBAC table says:
 * customer ⊂ vendor ⊂ admin, and a read-only auditor beside them that sees
 * audit history and nothing else. Routes name one of these groups.
 */
import type { Role } from '../../commands/users/events.ts'

export const SHOPPERS: readonly Role[] = ['customer', 'vendor', 'admin']
export const SELLERS: readonly Role[] = ['vendor', 'admin']
export const ADMINS: readonly Role[] = ['admin']
export const AUDIT_READERS: readonly Role[] = ['auditor', 'admin']
export const ANY_SIGNED_IN: readonly Role[] =
  ['customer', 'vendor', 'admin', 'auditor']
