import { defineMessages } from '../define.js';

/**
 * Messages of the clocks: the review reminder (seed 004 "Review duration"), the expiry ladder,
 * managed renewal (托管) starting, and escalations to the support channel (single or digest).
 * `{support}` is a channel mention; string params are mrkdwn-escaped by the caller.
 */
export const clocks = defineMessages(
  {
    // --- review reminder (OV/EV not issued 1 business day after submission) ---
    'clocks.sla.title': 'Your certificate is still under review',
    'clocks.sla.text':
      'Your OV/EV certificate *{name}* (`{id}`) was submitted to the CA more than {remindAfter} business day ago and has not been issued yet.\nCheck whether you missed a phone call from the CA, or an email with instructions for verifying the ownership of your domain name:\n• if you received the email, do what it says as soon as possible: this shortens the review;\n• if you received neither, ask in {support}.',
    'clocks.sla.contact': 'The CA reaches this application’s contact: *{name}* · {email} · {phone}',
    'clocks.sla.context':
      'Application `{app}` · submitted {submitted} · the CA reviews OV/EV applications in {reviewFrom} to {reviewBy} business days (expected by {expectedBy})',
    'clocks.sla.context_short':
      'Application `{app}` · the CA reviews OV/EV applications in {reviewFrom} to {reviewBy} business days',
    // --- expiry ---
    'clocks.expiry.title': 'Certificate expiring in {daysLeft} days',
    'clocks.expiry.text':
      '*{name}* (`{id}`) expires on {date} ({zone}): *{daysLeft} days left*.\nRenew it before then: the button below does what `/cert renew {id}` does.',
    'clocks.expiry.renew': 'Renew',
    'clocks.expiry.context': 'Domains: {domains}',
    'clocks.expired.title': 'Certificate expired',
    'clocks.expired.text':
      '*{name}* (`{id}`) expired on {date} ({zone}) and was not renewed. Sites still serving it show security warnings.\nSupport has been told and follows it up in {support}.',
    'clocks.activated.title': 'Managed renewal started',
    'clocks.activated.text':
      'Managed renewal (托管) has started for *{name}* (`{id}`): its renewal certificate `{renewal}` was activated and submitted to the CA.\nThere is nothing to do unless the CA contacts you (a phone call, or an email to verify domain ownership): then act on it promptly. Questions: {support}.',
    'clocks.unowned':
      ':warning: Certificate `{id}` has no owner on record, so its notice comes here:',
    'clocks.renew.invalid_button':
      'This button does not belong to a certificate I know; nothing was changed.',
    // --- escalations (support channel, English) ---
    'clocks.cause.sla_breach': 'Review SLA breached',
    'clocks.cause.expired': 'Expired, not renewed',
    'clocks.cause.renewal_failed': 'Managed renewal failed',
    'clocks.cause.delivery_refused': 'Message not delivered',
    'clocks.summary.sla_breach':
      'The CA has not issued application `{app}` {breachAfter} business days after its submission (OV/EV review takes {reviewFrom} to {reviewBy} business days).',
    'clocks.summary.sla_breach_estimated':
      'The CA has not issued application `{app}` {breachAfter} business days after its submission (OV/EV review takes {reviewFrom} to {reviewBy} business days). (estimated: no holiday data for that year)',
    'clocks.summary.expired': 'The certificate expired on {date} ({zone}) and was not renewed.',
    'clocks.summary.renewal_failed':
      'Managed renewal (托管) could not activate and submit the renewal certificate: `{detail}`.',
    'clocks.summary.delivery_refused':
      'Slack refused a message about this certificate for good, so its recipient has not seen it: `{detail}`. Please reach them another way.',
    'clocks.requester.sla_breach':
      'Your application `{app}` for *{name}* (`{id}`) is still not issued {breachAfter} business days after its submission to the CA. Support has been told and follows it up in {support}.',
    'clocks.requester.sla_breach_estimated':
      'Your application `{app}` for *{name}* (`{id}`) is still not issued {breachAfter} business days after its submission to the CA (estimated: no holiday data for that year). Support has been told and follows it up in {support}.',
    'clocks.requester.renewal_failed':
      'Managed renewal (托管) of *{name}* (`{id}`) could not be started. Support has been told and follows it up in {support}.',
    'clocks.digest.title': '{count} escalations',
    'clocks.digest.counts': '{cause}: {count}',
    'clocks.digest.line': '• *{cause}* · *{name}* (`{id}`){extra}',
    'clocks.digest.requester': ' · requester {requester}',
    'clocks.digest.app': ' · application `{app}`',
    'clocks.digest.detail': ' · `{detail}`',
    'clocks.digest.fallback': '{count} escalations for the support channel: {counts}',
    'clocks.digest.more': '…and {count} more not listed here.',
  },
  {
    'clocks.sla.title': '你的证书仍在审核中',
    'clocks.sla.text':
      '你的 OV/EV 证书 *{name}*（`{id}`）提交 CA 审核已超过 {remindAfter} 个工作日，仍未签发。\n请检查是否漏接了 CA 的电话，或漏看了 CA 发来的域名所有权验证邮件：\n• 如果收到了邮件，请尽快按邮件提示完成验证，这样可以缩短审核时间；\n• 如果电话和邮件都没有收到，请在 {support} 咨询。',
    'clocks.sla.contact': 'CA 会联系本申请的联系人：*{name}* · {email} · {phone}',
    'clocks.sla.context':
      '申请 `{app}` · 提交于 {submitted} · OV/EV 证书的审核需要 {reviewFrom}~{reviewBy} 个工作日（预计 {expectedBy} 前完成）',
    'clocks.sla.context_short':
      '申请 `{app}` · OV/EV 证书的审核需要 {reviewFrom}~{reviewBy} 个工作日',
    'clocks.expiry.title': '证书将在 {daysLeft} 天后过期',
    'clocks.expiry.text':
      '*{name}*（`{id}`）将于 {date}（{zone}）过期：*还剩 {daysLeft} 天*。\n请在此之前续费：下面的按钮与 `/cert renew {id}` 的作用相同。',
    'clocks.expiry.renew': '续费',
    'clocks.expiry.context': '域名：{domains}',
    'clocks.expired.title': '证书已过期',
    'clocks.expired.text':
      '*{name}*（`{id}`）已于 {date}（{zone}）过期，且未续费。仍在使用它的网站会显示安全警告。\n已通知技术支持，将在 {support} 跟进。',
    'clocks.activated.title': '托管续费已开始',
    'clocks.activated.text':
      '*{name}*（`{id}`）的托管续费已开始：续费证书 `{renewal}` 已激活并提交给 CA。\n无需操作，除非 CA 联系你（电话，或域名所有权验证邮件），届时请尽快处理。有问题请到 {support}。',
    'clocks.unowned': ':warning: 证书 `{id}` 没有登记负责人，因此通知发到这里：',
    'clocks.renew.invalid_button': '这个按钮不属于任何已知的证书，没有做任何更改。',
    'clocks.cause.sla_breach': '审核超时',
    'clocks.cause.expired': '已过期未续费',
    'clocks.cause.renewal_failed': '托管续费失败',
    'clocks.cause.delivery_refused': '消息未送达',
    'clocks.summary.sla_breach':
      '申请 `{app}` 提交后已过 {breachAfter} 个工作日，CA 仍未签发（OV/EV 审核需要 {reviewFrom}~{reviewBy} 个工作日）。',
    'clocks.summary.sla_breach_estimated':
      '申请 `{app}` 提交后已过 {breachAfter} 个工作日，CA 仍未签发（OV/EV 审核需要 {reviewFrom}~{reviewBy} 个工作日）。（估算：该年份暂无节假日数据）',
    'clocks.summary.expired': '证书已于 {date}（{zone}）过期，且未续费。',
    'clocks.summary.renewal_failed': '托管续费未能激活并提交续费证书：`{detail}`。',
    'clocks.summary.delivery_refused':
      'Slack 拒绝投递一条关于此证书的消息（无法重试），收件人没有收到：`{detail}`。请通过其他方式联系对方。',
    'clocks.requester.sla_breach':
      '你为 *{name}*（`{id}`）提交的申请 `{app}` 提交 CA 已满 {breachAfter} 个工作日仍未签发。已通知技术支持，将在 {support} 跟进。',
    'clocks.requester.sla_breach_estimated':
      '你为 *{name}*（`{id}`）提交的申请 `{app}` 提交 CA 已满 {breachAfter} 个工作日仍未签发（估算：该年份暂无节假日数据）。已通知技术支持，将在 {support} 跟进。',
    'clocks.requester.renewal_failed':
      '*{name}*（`{id}`）的托管续费未能开始。已通知技术支持，将在 {support} 跟进。',
    'clocks.digest.title': '{count} 条升级事项',
    'clocks.digest.counts': '{cause}：{count}',
    'clocks.digest.line': '• *{cause}* · *{name}*（`{id}`）{extra}',
    'clocks.digest.requester': ' · 申请人 {requester}',
    'clocks.digest.app': ' · 申请 `{app}`',
    'clocks.digest.detail': ' · `{detail}`',
    'clocks.digest.fallback': '支持频道有 {count} 条升级事项：{counts}',
    'clocks.digest.more': '……另有 {count} 项未列出。',
  },
);
