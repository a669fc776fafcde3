import { defineMessages } from '../define.js';

/**
 * Messages of the support feature: one case per certificate in the support channel (the
 * documents' DingTalk support group, 钉钉服务群), its thread, and what the requester is told.
 */
export const support = defineMessages(
  {
    'support.case.title': 'Support case: {name}',
    'support.case.context': 'Certificate `{id}` · requester {requester} · opened {at}',
    'support.case.context_no_requester': 'Certificate `{id}` · opened {at}',
    'support.case.fallback': 'Support case for {name}: {summary}',
    'support.button.ack': 'Acknowledge',
    'support.button.resolve': 'Resolve',
    'support.acknowledged': ':eyes: Acknowledged by {by} on {at}.',
    'support.resolved':
      ':white_check_mark: Resolved by {by} on {at}. A new escalation for this certificate opens a new case.',
    'support.already_acknowledged': 'Already acknowledged by {by} on {at}.',
    'support.already_resolved': 'This case is already resolved; nothing was changed.',
    'support.invalid_button': 'This button does not belong to a case I know; nothing was changed.',
    'support.when': '{time} ({zone})',
    'support.summary.validation_failed':
      'The CA refused application `{app}` (validation failed) for {domains}: {reason}',
    'support.summary.ca_submission_failed':
      'The CA could not take the approved application `{app}`: {error}. It stays approved and can be submitted again.',
    'support.dm.validation_failed':
      'The CA refused your application for *{name}* (`{id}`): validation failed: {reason}\nCheck for a missed phone call or a domain-verification email from the CA and act on it, then apply again with `/cert apply {id}`. Support is following this in {support}.',
    'support.dm.ca_submission_failed':
      'Your approved application for *{name}* (`{id}`) could not be handed to the CA: {error}\nIt stays approved; support is following this in {support}.',
    'support.summary.ca_action_needed':
      'Application `{app}` needs a step at the CA that CertOps cannot take: {action}',
    'support.dm.ca_action_needed':
      'Your application for *{name}* (`{id}`) went to the CA, which needs one more step by support before it goes on; support is following this in {support}.',
    'support.closed.retry_submitted':
      ':white_check_mark: Closed: the managed renewal was submitted again and the CA took it.',
    'support.closed.renewal_purchase_approved':
      ':white_check_mark: Closed: a renewal purchase was approved by {by}.',
    'support.closed.renewal_issued':
      ':white_check_mark: Closed: the renewal was issued and replaced this certificate.',
  },
  {
    'support.case.title': '支持工单：{name}',
    'support.case.context': '证书 `{id}` · 申请人 {requester} · 创建于 {at}',
    'support.case.context_no_requester': '证书 `{id}` · 创建于 {at}',
    'support.case.fallback': '{name} 的支持工单：{summary}',
    'support.button.ack': '确认受理',
    'support.button.resolve': '已解决',
    'support.acknowledged': ':eyes: 已由 {by} 于 {at} 确认受理。',
    'support.resolved':
      ':white_check_mark: 已由 {by} 于 {at} 标记为已解决。该证书再有问题时会新建工单。',
    'support.already_acknowledged': '已由 {by} 于 {at} 确认受理。',
    'support.already_resolved': '该工单已解决，没有做任何更改。',
    'support.invalid_button': '这个按钮不属于任何已知的工单，没有做任何更改。',
    'support.when': '{time}（{zone}）',
    'support.summary.validation_failed':
      'CA 拒绝了申请 `{app}`（审核失败），域名 {domains}：{reason}',
    'support.summary.ca_submission_failed':
      'CA 未能受理已批准的申请 `{app}`：{error}。申请仍为已批准状态，可以重新提交。',
    'support.dm.validation_failed':
      'CA 拒绝了你为 *{name}*（`{id}`）提交的申请：审核失败：{reason}\n请检查是否漏接了 CA 的电话或域名验证邮件并按邮件操作，然后用 `/cert apply {id}` 重新申请。支持人员正在 {support} 跟进。',
    'support.dm.ca_submission_failed':
      '你为 *{name}*（`{id}`）提交的已批准申请未能提交给 CA：{error}\n申请仍为已批准状态；支持人员正在 {support} 跟进。',
    'support.summary.ca_action_needed':
      '申请 `{app}` 需要在 CA 处完成一步 CertOps 无法代为完成的操作：{action}',
    'support.dm.ca_action_needed':
      '你为 *{name}*（`{id}`）提交的申请已交给 CA，还需要支持人员完成一步操作后才能继续；支持人员正在 {support} 跟进。',
    'support.closed.retry_submitted': ':white_check_mark: 已关闭：托管续费已重新提交，CA 已受理。',
    'support.closed.renewal_purchase_approved': ':white_check_mark: 已关闭：{by} 已批准续费购买。',
    'support.closed.renewal_issued': ':white_check_mark: 已关闭：续费证书已签发，并已替换该证书。',
  },
);
