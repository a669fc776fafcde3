import type { AllMiddlewareArgs, App, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { translator } from '../../i18n/index.js';
import type { SlackDeps } from '../index.js';

/** `/cert <subcommand> ...`: ack at once, then answer ephemerally. */
export function registerCertCommand(app: App, _deps: SlackDeps): void {
  app.command('/cert', certCommand);
}

async function certCommand({
  ack,
  command,
  respond,
}: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> {
  await ack();
  const t = translator('en');
  const [sub = 'help'] = command.text.trim().split(/\s+/).filter(Boolean);
  if (sub === 'help') {
    await respond({
      response_type: 'ephemeral',
      text: `*${t('help.title')}*\n${t('help.commands')}`,
    });
    return;
  }
  await respond({
    response_type: 'ephemeral',
    text: t('command.unknown', { sub: sub.slice(0, 40) }),
  });
}
