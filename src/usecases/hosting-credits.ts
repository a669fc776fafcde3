import type { Certificate } from '../domain/certificate.js';
import { type CreditMove, instanceCreditAfter } from '../domain/hosting.js';
import type { AuditNote, Transaction } from './ports/index.js';

/**
 * A hosting-credit move goes with its instance: the team's ledger and the instance's mark
 * change in one change set, so the ledger's held and spent always count the marked instances.
 */
export function markCredit<T extends Pick<Certificate, 'hostingCredit'>>(
  cert: T,
  move: CreditMove | undefined,
): T {
  if (!move) return cert;
  const { hostingCredit: _was, ...rest } = cert;
  const after = instanceCreditAfter(move);
  // The same instance with only its mark changed.
  return (after ? { ...rest, hostingCredit: after } : rest) as T;
}

/** Writes the ledger side of `move` for `cert` (its mark is written with the instance). */
export function writeCreditMove(
  tx: Transaction,
  cert: Pick<Certificate, 'id' | 'team'>,
  move: CreditMove | undefined,
  note: AuditNote,
): void {
  if (move) tx.moveHostingCredit(cert.team, move, { ...note, reason: `${move} for ${cert.id}` });
}
