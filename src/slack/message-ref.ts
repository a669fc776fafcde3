import type { BlockAction, ButtonAction } from '@slack/bolt';
import { z } from 'zod';

/** Where a message is: what chat.update needs to change it in place. */
export interface MessageRef {
  readonly channel: string;
  readonly ts: string;
}

const messageRefSchema = z.object({
  channel: z.string().regex(/^[A-Z0-9]{2,32}$/),
  ts: z.string().regex(/^\d{1,12}\.\d{1,9}$/),
});

/** The channel and ts of the message a button was clicked in, if the payload names them. */
export function clickedMessage(body: BlockAction<ButtonAction>): MessageRef | undefined {
  const container = body.container as { channel_id?: unknown; message_ts?: unknown };
  const parsed = messageRefSchema.safeParse({
    channel: container.channel_id ?? body.channel?.id,
    ts: container.message_ts ?? body.message?.ts,
  });
  return parsed.success ? parsed.data : undefined;
}
