import type { MessageKey } from './en.js';

/** 简体中文 messages (zh-CN), key for key with en.ts. */
export const zhCN: Record<MessageKey, string> = {
  'help.title': 'CertOps：在 Slack 中管理 SSL/TLS 证书',
  'help.commands': [
    '`/cert apply [实例]` 提交证书申请',
    '`/cert renew <证书>` 续费，或开启托管',
    '`/cert combine [实例]` 合并 OV/EV 证书实例（cas-merge）',
    '`/cert upload` 上传已有证书以便跟踪（只粘贴证书 PEM，切勿粘贴私钥）',
    '`/cert purchase` 登记已购买的证书实例和托管服务次数（管理员、审批人）',
    '`/cert list [mine|team|expiring|all]`',
    '`/cert status <编号>`',
    '`/cert contacts`',
  ].join('\n'),
  'command.unknown': '没有 `/cert {sub}` 这个命令。请试试 `/cert help`。',
  'command.not_yet': '当前版本的 CertOps 还不支持 `/cert {sub}`。',
};
