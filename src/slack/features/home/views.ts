/**
 * The App Home dashboard as pure Block Kit: a person's and their team's certificates grouped by
 * urgency, the team's hosting credits, and for approvers the requests waiting for a decision.
 * Every group is capped (with "…and N more"), so the tab stays within 100 blocks whatever the
 * numbers.
 */
import type { Application } from '../../../domain/application.js';
import { availableCredits, type HostingCredits } from '../../../domain/hosting.js';
import { DASHBOARD_GROUPS, type DashboardGroup } from '../../../domain/listing.js';
import type { CertificateRow } from '../../../usecases/queries.js';
import {
  context,
  divider,
  escapeMrkdwn,
  fitMessage,
  type HomeView,
  header,
  homeView,
  type KnownBlock,
  section,
  truncate,
} from '../../blocks.js';
import type { Translate } from '../../i18n/index.js';
import { LIMITS } from '../../limits.js';
import { creditsText, formatDateTime, kindLabel, rowText } from '../../views/format.js';

/** Rows shown per group; the rest are counted. */
export const HOME_GROUP_ROWS = 8;
/** The block of the CAS package quota. */
export const HOME_QUOTA_BLOCK = 'home.cas_quota';
/** Pending approvals shown to an approver; the rest are counted. */
export const HOME_APPROVALS = 10;

export const HOME_GROUPS = DASHBOARD_GROUPS;
export type HomeGroup = DashboardGroup;

export interface PendingApproval {
  readonly application: Application;
  /** The certificate's name, when it could be read. */
  readonly certificateName?: string;
}

export interface HomeData {
  readonly userId: string;
  readonly team: string;
  /** The person's and their team's certificates, each once (the first few of each group). */
  readonly rows: readonly CertificateRow[];
  /** Ids of the certificates the person owns: shown first in each group. */
  readonly mine?: ReadonlySet<string>;
  /** How many each group holds, when `rows` holds only its first few (default: the rows). */
  readonly counts?: Readonly<Partial<Record<HomeGroup, number>>>;
  readonly credits: HostingCredits;
  /** For admins and approvers, when CAS is routed to: its package quota, as lines. */
  readonly quota?: readonly string[];
  /** Set for approvers only: every request awaiting approval, oldest first. */
  readonly approvals?: readonly PendingApproval[];
  readonly approvalChannel: string;
  readonly now: Date;
  readonly timeZone: string;
}

/** Which urgency group a certificate belongs to on the dashboard, if any. */
export function homeGroupOf(row: CertificateRow): HomeGroup | undefined {
  if (row.expiry?.status === 'expired') return 'expired';
  if (row.expiry?.status === 'expiring') return 'expiring';
  switch (row.certificate.state) {
    case 'under_review':
      return 'under_review';
    case 'pending_application':
    case 'validation_failed':
      return 'pending';
    default:
      return undefined;
  }
}

/**
 * Within a group: failed validations and failed managed renewals first (someone must act), then
 * the person's own certificates, then those with a request under way; otherwise the use case's
 * order. (A failed renewal shows its marker in the row: rowText.)
 */
function byAttention(mine: ReadonlySet<string>) {
  const rank = (row: CertificateRow) =>
    (row.certificate.state === 'validation_failed' || row.certificate.renewalFailure ? 0 : 4) +
    (mine.has(row.certificate.id) ? 0 : 2) +
    (row.certificate.openApplicationId ? 0 : 1);
  return (a: CertificateRow, b: CertificateRow) => rank(a) - rank(b);
}

function groupBlocks(
  t: Translate,
  group: HomeGroup,
  rows: readonly CertificateRow[],
  total: number,
  timeZone: string,
): KnownBlock[] {
  const shown = rows.slice(0, HOME_GROUP_ROWS);
  const blocks: KnownBlock[] = [section(t(`home.group.${group}`, { count: total }))];
  for (const row of shown) blocks.push(section(rowText(t, row, timeZone)));
  if (total > shown.length) {
    const scope = group === 'expired' || group === 'expiring' ? 'expiring' : 'team';
    blocks.push(context([t('home.group.more', { count: total - shown.length, scope })]));
  }
  return blocks;
}

function approvalBlocks(t: Translate, data: HomeData, approvals: readonly PendingApproval[]) {
  const blocks: KnownBlock[] = [
    divider(),
    section(t('home.approvals.title', { count: approvals.length })),
  ];
  if (approvals.length === 0) {
    blocks.push(context([t('home.approvals.none')]));
    return blocks;
  }
  blocks.push(context([t('home.approvals.where', { channel: data.approvalChannel })]));
  for (const { application: app, certificateName } of approvals.slice(0, HOME_APPROVALS)) {
    let line = t('home.approvals.entry', {
      kind: kindLabel(t, app.kind),
      id: app.id,
      name: escapeMrkdwn(truncate(certificateName ?? app.certificateId, 80)),
      certificateId: app.certificateId,
      user: app.requesterId,
      date: formatDateTime(app.createdAt, data.timeZone),
    });
    if (app.requesterId === data.userId) line += ` ${t('home.approvals.own')}`;
    if (app.domains.length > 0) {
      const shown = app.domains.slice(0, 3).map((d) => escapeMrkdwn(truncate(d, 60)));
      const more =
        app.domains.length > 3
          ? ` ${t('queries.row.moreDomains', { count: app.domains.length - 3 })}`
          : '';
      line += `\n${shown.join(', ')}${more}`;
    }
    blocks.push(section(line));
  }
  if (approvals.length > HOME_APPROVALS) {
    blocks.push(context([t('home.approvals.more', { count: approvals.length - HOME_APPROVALS })]));
  }
  return blocks;
}

export function homeBlocks(t: Translate, data: HomeData): KnownBlock[] {
  const team = escapeMrkdwn(data.team);
  const available = availableCredits(data.credits);
  const blocks: KnownBlock[] = [
    header(t('home.title', { team: data.team })),
    context([
      t('home.intro', {
        team,
        date: formatDateTime(data.now.getTime(), data.timeZone),
        timeZone: data.timeZone,
      }),
    ]),
    section(
      available > 0
        ? creditsText(t, data.credits)
        : t('home.credits.none', { ...data.credits, team }),
    ),
  ];
  if (data.quota && data.quota.length > 0)
    blocks.push(section(data.quota.join('\n'), { blockId: HOME_QUOTA_BLOCK }));
  const grouped = new Map<HomeGroup, CertificateRow[]>();
  for (const row of data.rows) {
    const group = homeGroupOf(row);
    if (group) grouped.set(group, [...(grouped.get(group) ?? []), row]);
  }
  const attention = byAttention(data.mine ?? new Set());
  for (const rows of grouped.values()) rows.sort(attention);
  if (grouped.size === 0) {
    blocks.push(divider(), section(t('home.allClear')));
  }
  for (const group of HOME_GROUPS) {
    const rows = grouped.get(group);
    if (!rows) continue;
    const total = Math.max(data.counts?.[group] ?? 0, rows.length);
    blocks.push(divider(), ...groupBlocks(t, group, rows, total, data.timeZone));
  }
  if (data.approvals) blocks.push(...approvalBlocks(t, data, data.approvals));
  blocks.push(divider(), context([t('home.hint')]));
  return fitMessage(
    blocks,
    (hidden) => t('common.more', { count: hidden }),
    LIMITS.viewBlocks,
    LIMITS.viewPayloadBytes / 2,
  );
}

export function buildHomeView(t: Translate, data: HomeData): HomeView {
  return homeView(homeBlocks(t, data));
}
