import { describe, expect, it } from 'vitest';
import {
  canListAllCertificates,
  canRecordCaOutcomes,
  canRecordPurchases,
  canSeeOtherTeamsCertificates,
  type Roles,
} from '../../src/domain/permissions.js';

const roles: Roles = { approvers: new Set(['UAPPROVER']), admins: new Set(['UADMIN']) };

describe.each([
  ['canRecordPurchases', canRecordPurchases],
  ['canRecordCaOutcomes', canRecordCaOutcomes],
  ['canListAllCertificates', canListAllCertificates],
  ['canSeeOtherTeamsCertificates', canSeeOtherTeamsCertificates],
])('%s', (_name, allows) => {
  it('is granted to approvers and admins', () => {
    expect(allows(roles, 'UAPPROVER')).toBe(true);
    expect(allows(roles, 'UADMIN')).toBe(true);
  });

  it('is refused to everyone else, and to everyone when nobody holds a role', () => {
    expect(allows(roles, 'UALICE')).toBe(false);
    expect(allows(roles, '')).toBe(false);
    expect(allows({ approvers: new Set(), admins: new Set() }, 'UAPPROVER')).toBe(false);
  });
});
