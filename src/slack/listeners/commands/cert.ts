import type { AllMiddlewareArgs, App, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { type SlackDeps, type SubcommandHandler, translatorFor } from '../../deps.js';
import { FEATURES } from '../../features/index.js';

const HELP: SubcommandHandler = async ({ respond, t }) => {
  await respond({
    response_type: 'ephemeral',
    text: `*${t('help.title')}*\n${t('help.commands')}`,
  });
};

/** `/cert <subcommand> ...`: ack at once (Slack allows 3 s), then hand over to the feature. */
export function registerCertCommand(app: App, deps: SlackDeps): void {
  const handlers = new Map<string, SubcommandHandler>([['help', HELP]]);
  for (const feature of FEATURES) {
    for (const [name, handler] of Object.entries(feature.subcommands ?? {})) {
      if (handlers.has(name)) throw new Error(`/cert ${name} is registered twice`);
      handlers.set(name, handler);
    }
  }

  app.command(
    '/cert',
    async ({ ack, command, respond, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
      await ack();
      const [sub = 'help', ...args] = command.text.trim().split(/\s+/).filter(Boolean);
      const t = await translatorFor(deps, command.user_id);
      const handler = handlers.get(sub.toLowerCase());
      if (!handler) {
        await respond({
          response_type: 'ephemeral',
          text: t('command.unknown', { sub: sub.slice(0, 40) }),
        });
        return;
      }
      // A failure is answered by the app's error handler (listener-errors.ts).
      await handler({
        deps,
        client,
        respond,
        t,
        userId: command.user_id,
        channelId: command.channel_id,
        triggerId: command.trigger_id,
        args,
      });
    },
  );
}
