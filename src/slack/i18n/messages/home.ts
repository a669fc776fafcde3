import { defineMessages } from '../define.js';

/** Messages of the App Home dashboard. */
export const home = defineMessages(
  {
    'home.title': 'Certificates: {team}',
    'home.intro':
      'What needs attention among the certificates you own or requested and those of team {team}. Updated {date} ({timeZone}).',
    'home.credits.none':
      'Team {team} has no hosting credits available ({purchased} bought · {held} held by approved requests · {spent} spent): managed renewal cannot be switched on until more are bought (`/cert purchase`).',
    'home.group.expired': '🔴 *Expired* ({count})',
    'home.group.expiring': '🟠 *Expiring within {windowDays} days* ({count})',
    'home.group.under_review': '🔎 *Under review* ({count})',
    'home.group.pending':
      '📝 *Waiting for an application* ({count}): pending application or validation failed',
    'home.group.more': '…and {count} more: `/cert list {scope}` shows them all',
    'home.allClear':
      '✅ Nothing needs attention: no certificate is expired, expiring, under review or waiting for an application.',
    'home.approvals.title': '🗳️ *Waiting for approval* ({count})',
    'home.approvals.where': 'Approvers decide in <#{channel}>.',
    'home.approvals.none': 'No requests are waiting for approval.',
    'home.approvals.entry': '{kind} `{id}` · *{name}* (`{certificateId}`) · <@{user}> · {date}',
    'home.approvals.own': '(your own request: another approver decides)',
    'home.approvals.more': '…and {count} more waiting',
    'home.hint':
      '`/cert list` · `/cert status <id>` · `/cert apply` · `/cert renew <id>` · `/cert contacts` · `/cert help`',
  },
  {
    'home.title': '证书：{team}',
    'home.intro':
      '您负责或申请的证书以及团队 {team} 的证书中需要关注的事项。更新于 {date}（{timeZone}）。',
    'home.credits.none':
      '团队 {team} 没有可用的托管服务次数（已购买 {purchased} · 已批准的申请占用 {held} · 已使用 {spent}）：购买更多次数（`/cert purchase`）之前无法开启托管。',
    'home.group.expired': '🔴 *已过期*（{count}）',
    'home.group.expiring': '🟠 *{windowDays} 天内到期*（{count}）',
    'home.group.under_review': '🔎 *审核中*（{count}）',
    'home.group.pending': '📝 *等待提交申请*（{count}）：待申请或审核失败',
    'home.group.more': '……还有 {count} 个：`/cert list {scope}` 可查看全部',
    'home.allClear': '✅ 暂无需要处理的证书：没有已过期、即将到期、审核中或等待申请的证书。',
    'home.approvals.title': '🗳️ *待审批*（{count}）',
    'home.approvals.where': '审批人在 <#{channel}> 中审批。',
    'home.approvals.none': '没有待审批的申请。',
    'home.approvals.entry': '{kind} `{id}` · *{name}*（`{certificateId}`）· <@{user}> · {date}',
    'home.approvals.own': '（您本人的申请，需由其他审批人审批）',
    'home.approvals.more': '……还有 {count} 个待审批',
    'home.hint':
      '`/cert list` · `/cert status <编号>` · `/cert apply` · `/cert renew <编号>` · `/cert contacts` · `/cert help`',
  },
);
