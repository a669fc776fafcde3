import { defineMessages } from '../define.js';

/** Messages of `/cert list`, `/cert status` and `/cert contacts`. */
export const queries = defineMessages(
  {
    // --- /cert list ---
    'queries.list.usage':
      'Usage: `/cert list [mine|team|expiring|all]`: *mine* (the default) is what you own or requested, *team* your team’s, *expiring* your team’s expiring and expired ones, *all* everything (approvers and admins).',
    'queries.list.title.mine': 'Your certificates',
    'queries.list.title.team': 'Your team’s certificates ({team})',
    'queries.list.title.expiring': 'Expiring and expired certificates ({team})',
    'queries.list.title.all': 'All certificates',
    'queries.list.empty.mine':
      'You have no certificates yet. Apply for one with `/cert apply`, track an existing one with `/cert upload`, or see your team’s with `/cert list team`.',
    'queries.list.empty.team':
      'Your team has no certificates yet. Admins and approvers record purchased instances with `/cert purchase`.',
    'queries.list.empty.expiring':
      'Good news: none of your team’s certificates is expired or expires within {windowDays} days.',
    'queries.list.empty.all': 'No certificates are recorded yet.',
    'queries.list.summary': '{count} certificate(s) · page {page} of {pages} · times in {timeZone}',
    'queries.list.group.expired': '*Expired*',
    'queries.list.group.expiring': '*Expiring within {windowDays} days*',
    'queries.list.group.in_progress': '*Not issued yet*',
    'queries.list.group.valid': '*Valid*',
    'queries.list.group.closed': '*Closed*',
    'queries.list.prev': '◀ Previous',
    'queries.list.next': 'Next ▶',
    'queries.list.stale': 'This list is out of date: run `/cert list` again.',

    // --- one certificate in a list (also on App Home) ---
    'queries.row.spec': '{brand} {validationType} · {domainType} · {grade}',
    'queries.row.noDomains': 'no domain bound yet',
    'queries.row.moreDomains': '+{count} more',
    'queries.row.expires': 'expires {date} ({days} days left)',
    'queries.row.expiresToday': 'expires today ({date})',
    'queries.row.expired': 'expired {date} ({days} days ago)',
    'queries.row.expiredToday': 'expired today ({date})',
    'queries.row.openRequest': 'request under way',
    'queries.row.renewalFailure.refused': '⚠️ managed renewal failed: renew it',
    'queries.row.renewalFailure.retrying': '⏳ managed renewal being retried',
    'queries.row.renewalFailure.unanswered': '⚠️ managed renewal stuck',

    // --- /cert status ---
    'queries.status.usage':
      'Usage: `/cert status <id>`, e.g. `/cert status c7k2m9xqa`. `/cert list` shows the ids.',
    'queries.status.field.id': 'Id',
    'queries.status.field.state': 'State',
    'queries.status.field.spec': 'Spec',
    'queries.status.field.quota': 'Domains bound',
    'queries.status.field.expiry': 'Expiry',
    'queries.status.field.hosting': 'Managed renewal',
    'queries.status.field.contact': 'Contact',
    'queries.status.field.team': 'Team',
    'queries.status.field.renewalOf': 'Renewal of',
    'queries.status.quota': '{used} of {quota}',
    'queries.status.noExpiry': 'not issued yet',
    'queries.status.hosting.off': 'Off',
    'queries.status.hosting.on': 'On',
    'queries.status.hosting.renewal': 'On · renewal `{id}` is {state}',
    'queries.status.noContact': 'none yet',
    'queries.status.teamOwner': '{team} · owner <@{owner}>',
    'queries.status.domains': '*Domains*',
    'queries.status.requests': '*Requests*',
    'queries.status.noRequests': 'No requests yet.',
    'queries.status.request': '{kind} `{id}` · {status} · <@{user}> on {date}',
    'queries.status.requestOpen': '(open)',
    'queries.status.requestHosting': 'with managed renewal',
    'queries.status.requestReason': 'Reason: “{reason}”',
    'queries.status.requestExpected': 'CA decision expected {from} to {by}',
    'queries.status.next.sla_reminder':
      '⏰ Next: on {date}, if the CA has not issued it by then, the requester and the contact are reminded to check for a missed CA phone call or a domain-verification email.',
    'queries.status.next.sla_breach':
      '⏰ Next: on {date} the {breachAfter}-business-day review ends; if it is not issued by then, it is escalated to the support channel.',
    'queries.status.next.expiry_hosted':
      '⏰ Next: on {date} it enters the {windowDays}-day expiry window and is renewed automatically (managed renewal).',
    'queries.status.next.expiry_manual':
      '⏰ Next: on {date} it enters the {windowDays}-day expiry window; without managed renewal it must then be renewed by a renewal purchase (`/cert renew`).',
    'queries.status.next.expiry_reminder':
      '⏰ Next: on {date} the owner gets the {threshold}-day expiry reminder, unless it is renewed first.',
    'queries.status.next.expires':
      '⏰ Next: it expires on {date}; if it is not renewed by then, the owner and the support channel are told.',
    'queries.status.renewalFailure.refused':
      '⚠️ *Managed renewal failed* on {date}: the CA refused it (“{reason}”). The certificate is no longer hosted. Request a renewal purchase with Renew (`/cert renew {id}`).',
    'queries.status.renewalFailure.refused_no_reason':
      '⚠️ *Managed renewal failed* on {date}: the CA refused it. The certificate is no longer hosted. Request a renewal purchase with Renew (`/cert renew {id}`).',
    'queries.status.renewalFailure.retrying':
      '⏳ *Managed renewal is being retried*: the CA could not take it on {date} (“{reason}”). CertOps submits it again by itself; support is following it.',
    'queries.status.renewalFailure.retrying_no_reason':
      '⏳ *Managed renewal is being retried*: the CA could not take it on {date}. CertOps submits it again by itself; support is following it.',
    'queries.status.renewalFailure.unanswered':
      '⚠️ *Managed renewal is stuck*: the CA did not answer its submission on {date} and may have taken the order, so CertOps does not submit it again by itself. Support is checking the CA’s console.',
    'queries.status.history': '*History* (newest first)',
    'queries.status.noHistory': 'No history yet.',
    'queries.status.truncated': '…{count} more lines left out',

    // --- audit actions as history shows them ---
    'queries.action.purchase': 'recorded the purchase',
    'queries.action.upload': 'uploaded it for tracking',
    'queries.action.apply': 'applied',
    'queries.action.approve': 'approved',
    'queries.action.reject': 'rejected',
    'queries.action.submit': 'submitted it to the CA',
    'queries.action.issue': 'recorded the issued certificate',
    'queries.action.fail_validation': 'recorded failed validation',
    'queries.action.request_renewal': 'requested a renewal',
    'queries.action.request_combination': 'requested a combination',
    'queries.action.create_hosted_renewal': 'created the linked renewal',
    'queries.action.purchase_renewal': 'bought a renewal',
    'queries.action.merge': 'combined it into another instance',
    'queries.action.combine': 'created it by combining instances',
    'queries.action.replace': 'replaced it with its renewal',
    'queries.action.create_contact': 'created a contact',
    'queries.action.activate': 'activated the renewal',
    'queries.action.activate_renewal': 'activated the renewal (managed renewal)',
    'queries.action.renewal_activation_failed': 'the CA could not take the managed renewal',
    'queries.action.hosting_refused': 'the CA refused the managed renewal; hosting turned off',
    'queries.action.renewal_failure_closed': 'managed renewal taken by the CA on a retry',

    // --- /cert contacts ---
    'queries.contacts.title': 'Contacts of team {team}',
    'queries.contacts.none':
      'Your team has no contacts yet. A contact (name, email, phone) is created when you apply for a certificate (`/cert apply`) or renew one (`/cert renew`): choose “new contact” in the form.',
    'queries.contacts.entry': '*{name}*\n{email} · {phone}',
    'queries.contacts.usage': 'Usage: `/cert contacts` lists your team’s contacts.',
  },
  {
    'queries.list.usage':
      '用法：`/cert list [mine|team|expiring|all]`：*mine*（默认）为您负责或申请的证书，*team* 为本团队的证书，*expiring* 为本团队即将到期和已过期的证书，*all* 为全部证书（仅审批人和管理员）。',
    'queries.list.title.mine': '我的证书',
    'queries.list.title.team': '本团队的证书（{team}）',
    'queries.list.title.expiring': '即将到期和已过期的证书（{team}）',
    'queries.list.title.all': '全部证书',
    'queries.list.empty.mine':
      '您还没有证书。可用 `/cert apply` 提交证书申请，用 `/cert upload` 上传已有证书，或用 `/cert list team` 查看本团队的证书。',
    'queries.list.empty.team':
      '本团队还没有证书。管理员和审批人可用 `/cert purchase` 登记已购买的证书实例。',
    'queries.list.empty.expiring': '好消息：本团队没有已过期或 {windowDays} 天内到期的证书。',
    'queries.list.empty.all': '还没有登记任何证书。',
    'queries.list.summary': '共 {count} 个证书 · 第 {page}/{pages} 页 · 时区 {timeZone}',
    'queries.list.group.expired': '*已过期*',
    'queries.list.group.expiring': '*{windowDays} 天内到期*',
    'queries.list.group.in_progress': '*尚未签发*',
    'queries.list.group.valid': '*有效*',
    'queries.list.group.closed': '*已结束*',
    'queries.list.prev': '◀ 上一页',
    'queries.list.next': '下一页 ▶',
    'queries.list.stale': '该列表已过期：请重新运行 `/cert list`。',

    'queries.row.spec': '{brand} {validationType} · {domainType} · {grade}',
    'queries.row.noDomains': '尚未绑定域名',
    'queries.row.moreDomains': '另有 {count} 个',
    'queries.row.expires': '{date} 到期（剩余 {days} 天）',
    'queries.row.expiresToday': '今天到期（{date}）',
    'queries.row.expired': '已于 {date} 过期（{days} 天前）',
    'queries.row.expiredToday': '今天已过期（{date}）',
    'queries.row.openRequest': '有进行中的申请',
    'queries.row.renewalFailure.refused': '⚠️ 托管续费失败：请续费',
    'queries.row.renewalFailure.retrying': '⏳ 托管续费重试中',
    'queries.row.renewalFailure.unanswered': '⚠️ 托管续费停滞',

    'queries.status.usage':
      '用法：`/cert status <编号>`，例如 `/cert status c7k2m9xqa`。可用 `/cert list` 查看证书编号。',
    'queries.status.field.id': '编号',
    'queries.status.field.state': '状态',
    'queries.status.field.spec': '规格',
    'queries.status.field.quota': '已绑定域名',
    'queries.status.field.expiry': '到期时间',
    'queries.status.field.hosting': '托管',
    'queries.status.field.contact': '联系人',
    'queries.status.field.team': '团队',
    'queries.status.field.renewalOf': '续费自',
    'queries.status.quota': '{used} / {quota}',
    'queries.status.noExpiry': '尚未签发',
    'queries.status.hosting.off': '未托管',
    'queries.status.hosting.on': '已托管',
    'queries.status.hosting.renewal': '已托管 · 续费证书 `{id}` {state}',
    'queries.status.noContact': '暂无',
    'queries.status.teamOwner': '{team} · 负责人 <@{owner}>',
    'queries.status.domains': '*域名*',
    'queries.status.requests': '*申请记录*',
    'queries.status.noRequests': '暂无申请。',
    'queries.status.request': '{kind} `{id}` · {status} · <@{user}> 于 {date} 提交',
    'queries.status.requestOpen': '（进行中）',
    'queries.status.requestHosting': '开启托管',
    'queries.status.requestReason': '原因：“{reason}”',
    'queries.status.requestExpected': '预计 CA 在 {from} 至 {by} 之间完成审核',
    'queries.status.next.sla_reminder':
      '⏰ 下一步：{date} 时如果 CA 仍未签发，将提醒申请人和联系人检查是否漏接 CA 电话或域名验证邮件。',
    'queries.status.next.sla_breach':
      '⏰ 下一步：{date} 审核期（{breachAfter} 个工作日）结束，届时如果仍未签发，将升级到支持频道。',
    'queries.status.next.expiry_hosted':
      '⏰ 下一步：{date} 进入到期前 {windowDays} 天窗口，届时将自动续费（已托管）。',
    'queries.status.next.expiry_manual':
      '⏰ 下一步：{date} 进入到期前 {windowDays} 天窗口；未开启托管的证书届时需要续费购买（`/cert renew`）。',
    'queries.status.next.expiry_reminder':
      '⏰ 下一步：{date} 将向负责人发送到期前 {threshold} 天的提醒（如已续费则不发送）。',
    'queries.status.next.expires':
      '⏰ 下一步：证书将于 {date} 到期；届时如仍未续费，将通知负责人并升级到支持频道。',
    'queries.status.renewalFailure.refused':
      '⚠️ *托管续费失败*：{date} CA 拒绝了托管续费（“{reason}”）。该证书已不再托管。请通过“续费”申请续费购买（`/cert renew {id}`）。',
    'queries.status.renewalFailure.refused_no_reason':
      '⚠️ *托管续费失败*：{date} CA 拒绝了托管续费。该证书已不再托管。请通过“续费”申请续费购买（`/cert renew {id}`）。',
    'queries.status.renewalFailure.retrying':
      '⏳ *托管续费正在重试*：{date} CA 未能受理（“{reason}”）。CertOps 会自动重新提交，支持人员正在跟进。',
    'queries.status.renewalFailure.retrying_no_reason':
      '⏳ *托管续费正在重试*：{date} CA 未能受理。CertOps 会自动重新提交，支持人员正在跟进。',
    'queries.status.renewalFailure.unanswered':
      '⚠️ *托管续费停滞*：{date} 提交后 CA 没有答复，可能已经受理了订单，因此 CertOps 不会自动重新提交。支持人员正在 CA 控制台核实。',
    'queries.status.history': '*操作记录*（最新在前）',
    'queries.status.noHistory': '暂无操作记录。',
    'queries.status.truncated': '……另有 {count} 行未显示',

    'queries.action.purchase': '登记了购买',
    'queries.action.upload': '上传了证书',
    'queries.action.apply': '提交了证书申请',
    'queries.action.approve': '批准了申请',
    'queries.action.reject': '驳回了申请',
    'queries.action.submit': '提交给了 CA',
    'queries.action.issue': '登记了签发的证书',
    'queries.action.fail_validation': '登记了审核失败',
    'queries.action.request_renewal': '申请了续费',
    'queries.action.request_combination': '申请了合并证书',
    'queries.action.create_hosted_renewal': '创建了关联的续费证书',
    'queries.action.purchase_renewal': '续费购买了证书',
    'queries.action.merge': '合并到了其他实例',
    'queries.action.combine': '由多个实例合并而来',
    'queries.action.replace': '已被续费证书替换',
    'queries.action.create_contact': '新建了联系人',
    'queries.action.activate': '激活了续费证书',
    'queries.action.activate_renewal': '激活了续费证书（托管续费）',
    'queries.action.renewal_activation_failed': 'CA 未能受理托管续费',
    'queries.action.hosting_refused': 'CA 拒绝了托管续费，已取消托管',
    'queries.action.renewal_failure_closed': '托管续费重试后已被 CA 受理',

    'queries.contacts.title': '团队 {team} 的联系人',
    'queries.contacts.none':
      '本团队还没有联系人。提交证书申请（`/cert apply`）或续费（`/cert renew`）时，可在表单中选择“新建联系人”（姓名、邮箱、电话）。',
    'queries.contacts.entry': '*{name}*\n{email} · {phone}',
    'queries.contacts.usage': '用法：`/cert contacts` 列出本团队的联系人。',
  },
);
