import { defineMessages } from '../define.js';

/** Words and phrases every feature uses. */
export const common = defineMessages(
  {
    'help.title': 'CertOps: SSL/TLS certificates from Slack',
    'help.commands': [
      '`/cert apply [instance]` apply for a certificate',
      '`/cert renew <certificate>` renew, or enable managed renewal',
      '`/cert combine [instance]` combine OV/EV instances (cas-merge)',
      '`/cert upload` track an existing certificate (paste the PEM, never a key)',
      '`/cert purchase` record purchased instances and hosting credits (admins, approvers)',
      '`/cert list [mine|team|expiring|all]` list certificates',
      '`/cert status <id>` everything about one certificate',
      '`/cert withdraw <request>` take a request back before the CA issues it',
      "`/cert contacts` your team's contacts",
    ].join('\n'),
    'command.unknown': 'I do not know `/cert {sub}`. Try `/cert help`.',
    'command.failed': 'Something went wrong on our side; nothing was changed. Please try again.',
    'common.cancel': 'Cancel',
    'common.submit': 'Submit',
    'common.close': 'Close',
    'common.loading': 'Loading… this takes a moment longer than usual.',
    'common.none': 'none',
    'common.credits':
      'Hosting credits of {team}: *{available}* available · {purchased} bought · {held} held by approved requests · {spent} spent',
    'common.more': '…and {count} more',
    'common.busy':
      'CertOps is busy right now and did not start this. Please try again in a moment.',
    'common.estimated': '(estimated: no holiday data for that year)',
  },
  {
    'help.title': 'CertOps：在 Slack 中管理 SSL/TLS 证书',
    'help.commands': [
      '`/cert apply [实例]` 提交证书申请',
      '`/cert renew <证书>` 续费，或开启托管',
      '`/cert combine [实例]` 合并 OV/EV 证书实例（cas-merge）',
      '`/cert upload` 上传已有证书以便跟踪（只粘贴证书 PEM，切勿粘贴私钥）',
      '`/cert purchase` 登记已购买的证书实例和托管服务次数（管理员、审批人）',
      '`/cert list [mine|team|expiring|all]` 列出证书',
      '`/cert status <编号>` 查看证书详情',
      '`/cert withdraw <申请>` 在 CA 签发前撤回申请',
      '`/cert contacts` 查看本团队联系人',
    ].join('\n'),
    'command.unknown': '没有 `/cert {sub}` 这个命令。请试试 `/cert help`。',
    'command.failed': '我们这边出了点问题，没有做任何更改。请重试。',
    'common.cancel': '取消',
    'common.submit': '提交',
    'common.close': '关闭',
    'common.loading': '正在加载……这次比平时稍慢。',
    'common.none': '无',
    'common.credits':
      '团队 {team} 的托管服务次数：可用 *{available}* · 已购买 {purchased} · 已批准的申请占用 {held} · 已使用 {spent}',
    'common.more': '……还有 {count} 项',
    'common.busy': 'CertOps 当前繁忙，没有执行这条命令。请稍后再试。',
    'common.estimated': '（估算：该年份暂无节假日数据）',
  },
);
