import type { Role } from '../api/types';

/**
 * The words for each role (`user`, `admin`, `checkin` = door staff). A Record over the
 * contract's `Role`, so a role added to the schema fails the typecheck until it has words.
 */
export const ROLE_WORDS: Record<Role, { label: string; many: string; isNow: string }> = {
  user: { label: 'User', many: 'Users', isNow: 'a user' },
  admin: { label: 'Admin', many: 'Admins', isNow: 'an admin' },
  checkin: { label: 'Door staff', many: 'Door staff', isNow: 'door staff' },
};

/** Every role, in the order the Users page offers them. */
export const ROLES = Object.keys(ROLE_WORDS) as Role[];

/** "Ada is now door staff." after a role change. */
export function roleChangedMessage(name: string, role: Role): string {
  return `${name} is now ${ROLE_WORDS[role].isNow}.`;
}
