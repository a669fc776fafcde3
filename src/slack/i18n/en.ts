/** English messages. Every user-facing string lives in a catalog; zh-CN.ts mirrors this one. */
export const en = {
  'help.title': 'CertOps: SSL/TLS certificates from Slack',
  'help.commands': [
    '`/cert apply [instance]` apply for a certificate',
    '`/cert renew <certificate>` renew, or enable managed renewal',
    '`/cert combine [instance]` combine OV/EV instances (cas-merge)',
    '`/cert upload` track an existing certificate (paste the PEM, never a key)',
    '`/cert purchase` record purchased instances and hosting credits (admins, approvers)',
    '`/cert list [mine|team|expiring|all]`',
    '`/cert status <id>`',
    '`/cert contacts`',
  ].join('\n'),
  'command.unknown': 'I do not know `/cert {sub}`. Try `/cert help`.',
  'command.not_yet': '`/cert {sub}` is not available yet in this version of CertOps.',
} as const;

export type MessageKey = keyof typeof en;
