import { describe, expect, it } from 'vitest';
import type { Certificate, RenewalFailure } from '../../src/domain/certificate.js';
import { homeBlocks } from '../../src/slack/features/home/views.js';
import { renewalFailureText, statusMessage } from '../../src/slack/features/queries/views.js';
import { type Locale, translator } from '../../src/slack/i18n/index.js';
import { formatDateTime, rowText } from '../../src/slack/views/format.js';

/**
 * Issue 13: a certificate whose managed renewal failed is shown as such in `/cert status`, in
 * `/cert list` rows and on the App Home, in the reader's language, the CA's words quoted.
 */

const TZ = 'Asia/Shanghai';
const AT = Date.parse('2127-01-30T09:00:00+08:00');
const NOT_AFTER = Date.parse('2127-03-01T08:00:00+08:00');

function cert(id: string, failure?: RenewalFailure): Certificate {
  return {
    id,
    name: `${id}.example.com`,
    spec: { brand: 'DigiCert', validationType: 'OV', domainType: 'single', grade: 'standard' },
    validityYears: 1,
    domainQuota: 1,
    state: 'uploaded',
    source: 'uploaded',
    domains: [`${id}.example.com`],
    team: 'default',
    ownerUserId: 'UALICE',
    hosted: failure?.kind !== 'refused',
    notAfter: NOT_AFTER,
    ...(failure ? { renewalFailure: failure } : {}),
    version: 3,
    createdAt: AT,
    updatedAt: AT,
  };
}

const text = (blocks: unknown) => JSON.stringify(blocks);
const refused: RenewalFailure = { kind: 'refused', at: AT, reason: 'InvalidProduct: <no> sale' };
const retrying: RenewalFailure = { kind: 'retrying', at: AT, reason: 'Throttling: slow down' };
const unanswered: RenewalFailure = { kind: 'unanswered', at: AT, reason: '' };

describe.each<Locale>(['en', 'zh-CN'])('a failed managed renewal shown in %s', (locale) => {
  const t = translator(locale);
  const date = formatDateTime(AT, TZ);

  it('/cert status: what failed, when, the CA’s words (escaped) and what to do now', () => {
    const shown = statusMessage(
      t,
      { certificate: cert('c1', refused), applications: [], history: [] },
      TZ,
    );
    const expected = t('queries.status.renewalFailure.refused', {
      date,
      id: 'c1',
      reason: 'InvalidProduct: &lt;no&gt; sale',
    });
    expect(text(shown.blocks)).toContain(JSON.stringify(expected).slice(1, -1));
    expect(renewalFailureText(t, cert('c2', retrying), TZ)).toBe(
      t('queries.status.renewalFailure.retrying', {
        date,
        id: 'c2',
        reason: 'Throttling: slow down',
      }),
    );
    expect(renewalFailureText(t, cert('c3', unanswered), TZ)).toBe(
      t('queries.status.renewalFailure.unanswered', { date, id: 'c3', reason: '' }),
    );
    expect(renewalFailureText(t, cert('c4', { ...retrying, reason: '' }), TZ)).toBe(
      t('queries.status.renewalFailure.retrying_no_reason', { date, id: 'c4', reason: '' }),
    );
    expect(renewalFailureText(t, cert('c5'), TZ)).toBeUndefined();
  });

  it('list rows carry a short marker; without a failure, none', () => {
    for (const failure of [refused, retrying, unanswered]) {
      expect(rowText(t, { certificate: cert('c1', failure) }, TZ)).toContain(
        t(`queries.row.renewalFailure.${failure.kind}`),
      );
    }
    const plain = rowText(t, { certificate: cert('c2') }, TZ);
    for (const kind of ['refused', 'retrying', 'unanswered'] as const)
      expect(plain).not.toContain(t(`queries.row.renewalFailure.${kind}`));
  });

  it('the App Home shows the marker and puts a failed renewal first in its group', () => {
    const expiring = { status: 'expiring', daysLeft: 30 } as const;
    const blocks = homeBlocks(t, {
      userId: 'UALICE',
      team: 'default',
      rows: [
        { certificate: cert('plain'), expiry: expiring },
        { certificate: cert('failed', refused), expiry: expiring },
      ],
      credits: { team: 'default', purchased: 0, held: 0, spent: 0 },
      approvalChannel: 'CAPPROVALS',
      now: new Date(AT),
      timeZone: TZ,
    });
    const all = text(blocks);
    expect(all).toContain(t('queries.row.renewalFailure.refused'));
    expect(all.indexOf('`failed`')).toBeLessThan(all.indexOf('`plain`'));
  });
});
