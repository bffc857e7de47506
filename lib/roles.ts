/** Staff roles; each staff route declares the ones it allows. */
export const STAFF_ROLES = ['moderator', 'support', 'accountant', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
