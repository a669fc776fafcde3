import { createHmac } from 'node:crypto';

/**
 * Requests exactly as Slack sends them: form-encoded slash commands, `payload=` JSON for
 * interactivity, JSON events; signed with v0 HMAC-SHA256 over `v0:<timestamp>:<body>`.
 */
export interface SignedRequest {
  readonly body: string;
  readonly headers: Record<string, string>;
}

export function sign(
  body: string,
  signingSecret: string,
  timestampSeconds = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = createHmac('sha256', signingSecret)
    .update(`v0:${timestampSeconds}:${body}`)
    .digest('hex');
  return {
    'x-slack-request-timestamp': String(timestampSeconds),
    'x-slack-signature': `v0=${signature}`,
  };
}

export interface CommandFields {
  readonly text: string;
  readonly userId: string;
  readonly command?: string;
  readonly channelId?: string;
  readonly responseUrl: string;
  readonly triggerId?: string;
  readonly teamId?: string;
}

export function slashCommandBody(fields: CommandFields): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: fields.teamId ?? 'T_TEST',
    team_domain: 'test',
    channel_id: fields.channelId ?? 'C_GENERAL',
    channel_name: 'general',
    user_id: fields.userId,
    user_name: fields.userId.toLowerCase(),
    command: fields.command ?? '/cert',
    text: fields.text,
    api_app_id: 'A_CERTOPS',
    is_enterprise_install: 'false',
    response_url: fields.responseUrl,
    trigger_id: fields.triggerId ?? `trigger.${Math.random().toString(36).slice(2)}`,
  }).toString();
}

export function interactivityBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function eventBody(
  event: Record<string, unknown>,
  eventId = `Ev${Math.random().toString(36).slice(2, 10)}`,
): string {
  return JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: 'T_TEST',
    api_app_id: 'A_CERTOPS',
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
  });
}
