/** Who holds which role, from configuration (CERTOPS_APPROVERS, CERTOPS_ADMINS). */
export interface Roles {
  readonly approvers: ReadonlySet<string>;
  readonly admins: ReadonlySet<string>;
}

/*
 * One function per permission, named for what it allows. Today each is granted to approvers
 * and admins alike; they are apart so that each can change without the others.
 */

const approverOrAdmin = (roles: Roles, userId: string): boolean =>
  roles.admins.has(userId) || roles.approvers.has(userId);

/** Records purchases made outside the bot, and imports a CA's orders and uploads as such. */
export function canRecordPurchases(roles: Roles, userId: string): boolean {
  return approverOrAdmin(roles, userId);
}

/**
 * Records what a CA did with a submitted application (issued, failed): support acts through
 * these people.
 */
export function canRecordCaOutcomes(roles: Roles, userId: string): boolean {
  return approverOrAdmin(roles, userId);
}

/** Lists the certificates of every team (`/cert list all`). */
export function canListAllCertificates(roles: Roles, userId: string): boolean {
  return approverOrAdmin(roles, userId);
}

/** Sees a certificate of another team than one's own: its status, requests and history. */
export function canSeeOtherTeamsCertificates(roles: Roles, userId: string): boolean {
  return approverOrAdmin(roles, userId);
}
