import { defineMessages } from '../define.js';

/**
 * Messages of the approvals feature: the request posted to the approvals channel (English, the
 * channel is shared), the decision, the reject modal, the manual CA outcome in the support
 * channel, and the requester's direct messages (in the requester's language).
 */
export const approvals = defineMessages(
  {
    // --- the request in the approvals channel ---
    'approvals.request.title.apply': 'Approval needed: certificate application',
    'approvals.request.title.enable_hosting': 'Approval needed: enable managed renewal',
    'approvals.request.title.renewal_purchase': 'Approval needed: renewal purchase',
    'approvals.request.title.combine': 'Approval needed: combine instances',
    'approvals.request.intro.apply':
      '{requester} asks to apply for a certificate on *{name}* (`{id}`).',
    'approvals.request.intro.enable_hosting':
      '{requester} asks to enable managed renewal (hosting) for *{name}* (`{id}`): a renewal with exactly the same spec, activated automatically when the certificate is about to expire.',
    'approvals.request.intro.renewal_purchase':
      '{requester} asks to buy a renewal with exactly the same spec for *{name}* (`{id}`), which is about to expire.',
    'approvals.request.intro.combine':
      '{requester} asks to combine {count} instance(s) into *{name}* (`{id}`).',
    'approvals.request.context': 'Request `{id}` · asked {at}',
    'approvals.request.fallback': '{title}: {name} ({id}), asked by {requester}',
    'approvals.field.spec': '*Spec*\n{brand} {validationType} · {domainType} · {grade}',
    'approvals.field.domains': '*Domains ({count})*\n{domains}',
    'approvals.field.validation': '*Validation*\n{method}',
    'approvals.field.hosting': '*Managed renewal*\n{hosting}',
    'approvals.field.contact': '*Contact*\n{name} · {email} · {phone}',
    'approvals.field.contact_missing': '*Contact*\n`{id}` (no longer on record)',
    'approvals.field.team': '*Team*\n{team}',
    'approvals.field.expires': '*Expires*\n{date}',
    'approvals.field.combined': '*Instances*\n{instances}',
    'approvals.field.combined_item': '`{id}` {name} (quota {quota})',
    'approvals.field.quota': '*Domain quota after combining*\n{quota} ({parts})',
    'approvals.field.no_refund':
      '*No refund*\n:white_check_mark: Confirmed: combined instances can no longer be refunded.',
    'approvals.hosting.on': 'Yes (one hosting credit is used)',
    'approvals.hosting.off': 'No',
    'approvals.method.dns': 'DNS record',
    'approvals.method.file': 'File on the web server',
    'approvals.method.email': 'Email to the domain owner',
    'approvals.button.approve': 'Approve',
    'approvals.button.reject': 'Reject',
    'approvals.unknown_date': 'unknown',

    // --- the decision, shown in place of the buttons ---
    'approvals.decided.approved': ':white_check_mark: *Approved* by {by} on {at}.',
    'approvals.decided.rejected': ':x: *Rejected* by {by} on {at}: {reason}',
    'approvals.decided.lapsed':
      ':hourglass: *Not carried out*: approved by {by} on {at}, but it no longer applies. {reason}',
    'approvals.decided.withdrawn': 'Withdrawn before the CA issued it.',
    'withdraw.usage':
      'Usage: `/cert withdraw <request id>` (the id is in the request and in `/cert status`).',
    'withdraw.done':
      'Request `{id}` is withdrawn: the instance is free again, and a hosting credit it held is given back.',
    'approvals.decided.submitted': 'Submitted to the CA (order `{order}`).',
    'approvals.decided.ca_error':
      ':warning: The CA could not take it: {error}. It stays approved and can be submitted again; support has been told.',
    'approvals.decided.done.enable_hosting':
      'Managed renewal is on; its renewal certificate waits, not activated.',
    'approvals.decided.done.renewal_purchase':
      'The renewal instance is recorded, ready to apply for.',
    'approvals.decided.done.combine': 'The instances are combined.',
    'approvals.already_decided':
      'Already decided by {by} on {at}: this request is “{status}” now. Nothing was changed.',
    'approvals.invalid_button':
      'This button does not belong to a request I know; nothing was changed.',
    'approvals.when': '{time} ({zone})',

    // --- reject modal ---
    'approvals.reject.title': 'Reject request',
    'approvals.reject.submit': 'Reject',
    'approvals.reject.intro':
      'Rejecting the {kind} `{id}` for *{name}*, asked by {requester}. They get your reason.',
    'approvals.reject.reason.label': 'Reason',
    'approvals.reject.reason.hint':
      'Up to {max} characters. Say what to change so the request can be made again.',
    'approvals.reject.reason.required': 'Give a reason: the requester needs to know what to fix.',
    'approvals.reject.reason.too_long': 'Keep the reason to {max} characters.',
    'approvals.kind.apply': 'certificate application',
    'approvals.kind.enable_hosting': 'request to enable managed renewal',
    'approvals.kind.renewal_purchase': 'renewal purchase',
    'approvals.kind.combine': 'combination request',
    'approvals.modal.invalid':
      'This form does not belong to a request I know any more; close it and start again.',

    // --- manual CA outcome, in the support channel ---
    'approvals.manual.title': 'Submitted to the CA (manual): record the outcome',
    'approvals.manual.text':
      'Application `{app}` for *{name}* (`{id}`), asked by {requester}, went to the CA by hand (order `{order}`). When the CA answers, record the outcome here.',
    'approvals.manual.fallback': 'Submitted to the CA (manual): record the outcome for {name}',
    'approvals.manual.button.issued': 'Issued',
    'approvals.manual.button.failed': 'Validation failed',
    'approvals.manual.issued':
      ':white_check_mark: *Issued*, recorded by {by} on {at}: serial `{serial}`, valid until {notAfter}.',
    'approvals.manual.failed': ':x: *Validation failed*, recorded by {by} on {at}: {reason}',
    'approvals.manual.already_recorded':
      'Application `{id}` is “{status}”: its outcome is already recorded. Nothing was changed.',

    // --- issued modal ---
    'approvals.issued.title': 'Certificate issued',
    'approvals.issued.submit': 'Record',
    'approvals.issued.intro':
      'Paste the certificate the CA issued for *{name}* (`{id}`), covering {domains}.',
    'approvals.issued.chain':
      'Slack takes at most 3000 characters per field, so a chain goes into up to three fields (leaf, intermediate, more); they are joined in that order.',
    'approvals.issued.never_key':
      ':warning: Never paste a private key here: only certificates (`-----BEGIN CERTIFICATE-----`).',
    'approvals.issued.leaf.label': 'Certificate (leaf)',
    'approvals.issued.intermediate.label': 'Intermediate certificate',
    'approvals.issued.more.label': 'More of the chain',
    'approvals.issued.hint': 'PEM text, at most 3000 characters in this field.',
    'approvals.issued.required': 'Paste the issued certificate (PEM).',

    // --- validation failed modal ---
    'approvals.failed.title': 'Validation failed',
    'approvals.failed.submit': 'Record',
    'approvals.failed.intro':
      'The CA refused application `{app}` for *{name}* (`{id}`). The requester and support are told, and the instance can be applied for again.',
    'approvals.failed.reason.label': "The CA's reason",
    'approvals.failed.reason.hint': 'Up to {max} characters, as the CA gave it.',

    // --- direct messages to the requester ---
    'approvals.dm.approved':
      'Your {kind} for *{name}* (`{id}`) was approved by {by}. It is being handed to the CA now.',
    'approvals.dm.rejected':
      'Your {kind} for *{name}* (`{id}`) was rejected by {by}: {reason}\nChange what is needed and ask again.',
    'approvals.dm.lapsed':
      'Your {kind} for *{name}* (`{id}`) was approved by {by} too late to be carried out: {reason}',
    'approvals.dm.hosting_enabled':
      'Managed renewal is on for *{name}* (`{id}`), approved by {by}. Its renewal certificate `{renewal}` waits, not activated, and takes over automatically when the certificate is about to expire.',
    'approvals.dm.renewal_purchased':
      'Your renewal purchase for *{name}* (`{id}`) was approved by {by}. The new instance `{renewal}` is ready: apply for it with `/cert apply {renewal}`.',
    'approvals.dm.instances_combined':
      'Your combination was approved by {by}: {count} instances are now *{name}* (`{id}`), with a domain quota of {quota}. Apply for it with `/cert apply {id}`.',
    'approvals.dm.issued':
      'Your certificate *{name}* (`{id}`) is issued for {domains}, valid until {notAfter}.',
  },
  {
    'approvals.request.title.apply': '待审批：证书申请',
    'approvals.request.title.enable_hosting': '待审批：开启托管',
    'approvals.request.title.renewal_purchase': '待审批：续费购买',
    'approvals.request.title.combine': '待审批：合并证书实例',
    'approvals.request.intro.apply': '{requester} 申请为 *{name}*（`{id}`）提交证书申请。',
    'approvals.request.intro.enable_hosting':
      '{requester} 申请为 *{name}*（`{id}`）开启托管服务：购买规格完全相同的续费证书，在证书即将到期时自动激活。',
    'approvals.request.intro.renewal_purchase':
      '{requester} 申请为即将到期的 *{name}*（`{id}`）续费购买一张规格完全相同的证书。',
    'approvals.request.intro.combine':
      '{requester} 申请将 {count} 个证书实例合并到 *{name}*（`{id}`）。',
    'approvals.request.context': '申请 `{id}` · 提交于 {at}',
    'approvals.request.fallback': '{title}：{name}（{id}），申请人 {requester}',
    'approvals.field.spec': '*规格*\n{brand} {validationType} · {domainType} · {grade}',
    'approvals.field.domains': '*域名（{count} 个）*\n{domains}',
    'approvals.field.validation': '*验证方式*\n{method}',
    'approvals.field.hosting': '*托管*\n{hosting}',
    'approvals.field.contact': '*联系人*\n{name} · {email} · {phone}',
    'approvals.field.contact_missing': '*联系人*\n`{id}`（已不存在）',
    'approvals.field.team': '*团队*\n{team}',
    'approvals.field.expires': '*到期时间*\n{date}',
    'approvals.field.combined': '*证书实例*\n{instances}',
    'approvals.field.combined_item': '`{id}` {name}（可绑定域名数 {quota}）',
    'approvals.field.quota': '*合并后可绑定域名数*\n{quota}（{parts}）',
    'approvals.field.no_refund':
      '*不可退款*\n:white_check_mark: 已确认：合并后的证书实例不能再退款。',
    'approvals.hosting.on': '是（使用一次托管服务次数）',
    'approvals.hosting.off': '否',
    'approvals.method.dns': 'DNS 解析记录',
    'approvals.method.file': '网站文件验证',
    'approvals.method.email': '域名所有者邮箱验证',
    'approvals.button.approve': '批准',
    'approvals.button.reject': '驳回',
    'approvals.unknown_date': '未知',

    'approvals.decided.approved': ':white_check_mark: 已由 {by} 于 {at} *批准*。',
    'approvals.decided.rejected': ':x: 已由 {by} 于 {at} *驳回*：{reason}',
    'approvals.decided.lapsed':
      ':hourglass: *未执行*：{by} 于 {at} 批准时，该申请已不再适用。{reason}',
    'approvals.decided.withdrawn': '已在 CA 签发前撤回。',
    'withdraw.usage': '用法：`/cert withdraw <申请编号>`（编号见申请消息和 `/cert status`）。',
    'withdraw.done': '申请 `{id}` 已撤回：实例已释放，占用的托管额度已退回。',
    'approvals.decided.submitted': '已提交给 CA（订单 `{order}`）。',
    'approvals.decided.ca_error':
      ':warning: CA 未能受理：{error}。申请仍为已批准状态，可以重新提交；已通知支持人员。',
    'approvals.decided.done.enable_hosting': '托管已开启；续费证书处于未激活状态。',
    'approvals.decided.done.renewal_purchase': '续费证书实例已登记，可以提交申请。',
    'approvals.decided.done.combine': '证书实例已合并。',
    'approvals.already_decided':
      '该申请已由 {by} 于 {at} 处理，当前状态为“{status}”。没有做任何更改。',
    'approvals.invalid_button': '这个按钮不属于任何已知的申请，没有做任何更改。',
    'approvals.when': '{time}（{zone}）',

    'approvals.reject.title': '驳回申请',
    'approvals.reject.submit': '驳回',
    'approvals.reject.intro':
      '正在驳回 {requester} 提交的{kind} `{id}`（*{name}*）。申请人会收到你填写的原因。',
    'approvals.reject.reason.label': '原因',
    'approvals.reject.reason.hint': '最多 {max} 个字符。请说明需要修改什么，以便重新申请。',
    'approvals.reject.reason.required': '请填写原因：申请人需要知道该修改什么。',
    'approvals.reject.reason.too_long': '原因请控制在 {max} 个字符以内。',
    'approvals.kind.apply': '证书申请',
    'approvals.kind.enable_hosting': '开启托管申请',
    'approvals.kind.renewal_purchase': '续费购买申请',
    'approvals.kind.combine': '合并申请',
    'approvals.modal.invalid': '此表单已不属于任何已知的申请；请关闭后重新开始。',

    'approvals.manual.title': '已提交给 CA（人工）：请登记结果',
    'approvals.manual.text':
      '{requester} 为 *{name}*（`{id}`）提交的申请 `{app}` 已人工提交给 CA（订单 `{order}`）。CA 答复后，请在这里登记结果。',
    'approvals.manual.fallback': '已提交给 CA（人工）：请登记 {name} 的结果',
    'approvals.manual.button.issued': '已签发',
    'approvals.manual.button.failed': '审核失败',
    'approvals.manual.issued':
      ':white_check_mark: *已签发*，由 {by} 于 {at} 登记：序列号 `{serial}`，有效期至 {notAfter}。',
    'approvals.manual.failed': ':x: *审核失败*，由 {by} 于 {at} 登记：{reason}',
    'approvals.manual.already_recorded':
      '申请 `{id}` 当前为“{status}”：结果已登记。没有做任何更改。',

    'approvals.issued.title': '证书已签发',
    'approvals.issued.submit': '登记',
    'approvals.issued.intro': '请粘贴 CA 为 *{name}*（`{id}`）签发的证书，需覆盖 {domains}。',
    'approvals.issued.chain':
      'Slack 每个输入框最多 3000 个字符，因此证书链可分三个输入框填写（叶子证书、中间证书、其余部分），按顺序拼接。',
    'approvals.issued.never_key':
      ':warning: 切勿在此粘贴私钥：只粘贴证书（`-----BEGIN CERTIFICATE-----`）。',
    'approvals.issued.leaf.label': '证书（叶子证书）',
    'approvals.issued.intermediate.label': '中间证书',
    'approvals.issued.more.label': '证书链其余部分',
    'approvals.issued.hint': 'PEM 文本，此输入框最多 3000 个字符。',
    'approvals.issued.required': '请粘贴签发的证书（PEM）。',

    'approvals.failed.title': '审核失败',
    'approvals.failed.submit': '登记',
    'approvals.failed.intro':
      'CA 拒绝了 *{name}*（`{id}`）的申请 `{app}`。申请人和支持人员会收到通知，该实例可以重新申请。',
    'approvals.failed.reason.label': 'CA 给出的原因',
    'approvals.failed.reason.hint': '最多 {max} 个字符，照 CA 的原话填写。',

    'approvals.dm.approved': '你为 *{name}*（`{id}`）提交的{kind}已由 {by} 批准，正在提交给 CA。',
    'approvals.dm.rejected':
      '你为 *{name}*（`{id}`）提交的{kind}已被 {by} 驳回：{reason}\n请修改后重新申请。',
    'approvals.dm.lapsed':
      '你为 *{name}*（`{id}`）提交的{kind}由 {by} 批准时已来不及执行：{reason}',
    'approvals.dm.hosting_enabled':
      '*{name}*（`{id}`）的托管已开启，由 {by} 批准。续费证书 `{renewal}` 处于未激活状态，将在证书即将到期时自动接替。',
    'approvals.dm.renewal_purchased':
      '你为 *{name}*（`{id}`）提交的续费购买已由 {by} 批准。新的证书实例 `{renewal}` 已就绪：请用 `/cert apply {renewal}` 提交申请。',
    'approvals.dm.instances_combined':
      '你的合并申请已由 {by} 批准：{count} 个证书实例已合并为 *{name}*（`{id}`），可绑定域名数为 {quota}。请用 `/cert apply {id}` 提交申请。',
    'approvals.dm.issued':
      '你的证书 *{name}*（`{id}`）已签发，覆盖 {domains}，有效期至 {notAfter}。',
  },
);
