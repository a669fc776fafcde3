import { defineMessages } from '../define.js';

/**
 * Messages of the CA feature: the DNS-01 records an ACME order waits for (DM to the requester)
 * and what a Verify click found.
 */
export const ca = defineMessages(
  {
    'ca.challenges.title': 'DNS records for {name}',
    'ca.challenges.intro':
      'Your application `{app}` for *{name}* (`{id}`) is with the CA. To prove you control its names, create these DNS *TXT* records, wait until they are visible, then click *Verify*. CertOps looks them up first and asks the CA to check them only when all are there.',
    'ca.challenges.intro_polling':
      'Your application `{app}` for *{name}* (`{id}`) is with the CA. To prove you control its names, publish what is listed below. CertOps asks the CA about the order every few minutes and tells you when it is issued.',
    'ca.challenges.intro_more': 'More records for *{name}* (`{id}`), part {part} of {parts}:',
    'ca.challenges.record':
      '*{domain}*\nType: `{type}`\nName:\n```{name}```\nValue:\n```{value}```',
    'ca.challenges.record_file':
      '*{domain}*\nA file at this URL path of the site:\n```{name}```\nContaining:\n```{value}```',
    'ca.challenges.context':
      'Keep the records until the certificate is issued; you can delete them afterwards. DNS changes can take a few minutes to be visible.',
    'ca.challenges.context_polling':
      'Keep them until the certificate is issued. Nothing to click: CertOps follows the order with the CA.',
    'ca.challenges.verify': 'Verify',
    'ca.challenges.fallback':
      'Create {count} DNS TXT record(s) for {name} ({id}), then click Verify.',
    'ca.challenges.fallback_polling':
      'Publish {count} validation record(s) for {name} ({id}); CertOps follows the order with the CA.',
    'ca.verify.checking': 'Checking the DNS records of `{id}`…',
    'ca.verify.issued':
      ':white_check_mark: The CA issued *{name}* (`{id}`), valid until {notAfter}. The certificate is in CertOps now.',
    'ca.verify.waiting_records':
      ':hourglass: Not yet for `{id}`: {detail}\nThe CA was not asked, so the order stays open. Check the records (name and value exactly as in the message above), wait a few minutes, then click *Verify* again.',
    'ca.verify.waiting':
      ':hourglass: The CA is still waiting for the DNS records of `{id}`. Click *Verify* once they are published.',
    'ca.verify.processing':
      ':hourglass_flowing_sand: The CA is still validating or issuing `{id}`. Click *Verify* again in a minute.',
    'ca.verify.failed':
      ':x: The CA refused the order for *{name}* (`{id}`): {reason}\nSupport has been told. You can apply again with `/cert apply {id}`.',
    'ca.verify.not_allowed':
      'Only the requester ({requester}) or an approver can verify this order; nothing was changed.',
    'ca.verify.invalid_button':
      'This button does not belong to an order I know; nothing was changed.',
    'ca.unknown_date': 'an unknown date',
  },
  {
    'ca.challenges.title': '{name} 的 DNS 记录',
    'ca.challenges.intro':
      '你为 *{name}*（`{id}`）提交的申请 `{app}` 已交给 CA。为证明你控制这些域名，请添加下面的 DNS *TXT* 记录，等记录生效后点击 *验证*。CertOps 会先自行查询，只有全部记录都能查到时才请 CA 验证。',
    'ca.challenges.intro_polling':
      '你为 *{name}*（`{id}`）提交的申请 `{app}` 已交给 CA。为证明你控制这些域名，请发布下面列出的内容。CertOps 每隔几分钟向 CA 查询订单，签发后会通知你。',
    'ca.challenges.intro_more': '*{name}*（`{id}`）的更多记录，第 {part}/{parts} 部分：',
    'ca.challenges.record':
      '*{domain}*\n类型：`{type}`\n主机记录：\n```{name}```\n记录值：\n```{value}```',
    'ca.challenges.record_file':
      '*{domain}*\n在网站的这个 URL 路径放置文件：\n```{name}```\n文件内容：\n```{value}```',
    'ca.challenges.context':
      '请保留这些记录直到证书签发，签发后即可删除。DNS 记录可能需要几分钟才能生效。',
    'ca.challenges.context_polling':
      '请保留到证书签发为止。无需点击任何按钮：CertOps 会向 CA 跟进订单。',
    'ca.challenges.verify': '验证',
    'ca.challenges.fallback': '请为 {name}（{id}）添加 {count} 条 DNS TXT 记录，然后点击“验证”。',
    'ca.challenges.fallback_polling':
      '请为 {name}（{id}）发布 {count} 条验证记录；CertOps 会向 CA 跟进订单。',
    'ca.verify.checking': '正在检查 `{id}` 的 DNS 记录…',
    'ca.verify.issued':
      ':white_check_mark: CA 已签发 *{name}*（`{id}`），有效期至 {notAfter}。证书已记录到 CertOps。',
    'ca.verify.waiting_records':
      ':hourglass: `{id}` 还不行：{detail}\n尚未请 CA 验证，订单仍然有效。请核对记录（主机记录和记录值须与上面的消息完全一致），几分钟后再点击 *验证*。',
    'ca.verify.waiting': ':hourglass: CA 仍在等待 `{id}` 的 DNS 记录。记录添加后请点击 *验证*。',
    'ca.verify.processing':
      ':hourglass_flowing_sand: CA 仍在验证或签发 `{id}`。请一分钟后再点击 *验证*。',
    'ca.verify.failed':
      ':x: CA 拒绝了 *{name}*（`{id}`）的订单：{reason}\n已通知技术支持。你可以用 `/cert apply {id}` 重新申请。',
    'ca.verify.not_allowed': '只有申请人（{requester}）或审批人可以验证这个订单，没有做任何更改。',
    'ca.verify.invalid_button': '这个按钮不属于任何已知的订单，没有做任何更改。',
    'ca.unknown_date': '未知日期',
  },
);
