import type { CertOpsEvent } from './events.js';

/**
 * Messages the clocks send. Only ids and numbers travel (job data is stored in clear text in
 * Redis): the Slack side renders them at delivery time in the recipient's language.
 */
export type OutboundMessage =
  /** OV/EV not issued 1 business day after submission: check for the CA's call or email. */
  | {
      readonly kind: 'sla_reminder';
      readonly userId: string;
      readonly applicationId: string;
      readonly certificateId: string;
    }
  | {
      readonly kind: 'expiry_reminder';
      readonly userId: string;
      readonly certificateId: string;
      readonly threshold: number;
      readonly daysLeft: number;
      readonly notAfter: number;
    }
  | {
      readonly kind: 'expired';
      readonly userId: string;
      readonly certificateId: string;
      readonly notAfter: number;
    }
  /** A hosted certificate's renewal was activated and submitted (托管: renewed automatically). */
  | {
      readonly kind: 'renewal_activated';
      readonly userId: string;
      readonly certificateId: string;
      readonly renewalId: string;
    }
  | {
      readonly kind: 'escalation';
      /** `delivery_refused`: Slack refused a message to `requesterId` for good (`detail`). */
      readonly cause: 'sla_breach' | 'expired' | 'renewal_failed' | 'delivery_refused';
      readonly certificateId: string;
      readonly applicationId?: string;
      readonly requesterId?: string;
      readonly detail?: string;
      /** `sla_breach`: the business days were counted in a year without holiday data. */
      readonly estimated?: boolean;
    }
  /**
   * A later success overcame a certificate's failed managed renewal: support's open case for the
   * certificate gets a closing reply and is resolved (nothing is posted when there is none).
   */
  | {
      readonly kind: 'case_closed';
      readonly certificateId: string;
      readonly cause: CaseClosedCause;
      /** `renewal_purchase_approved`: the approver. */
      readonly by?: string;
    };

/** What closed a failed managed renewal's case. */
export const CASE_CLOSED_CAUSES = [
  /** The CA took the managed renewal when the CA poll submitted it again. */
  'retry_submitted',
  /** An approver approved a renewal purchase of the certificate. */
  'renewal_purchase_approved',
  /** A renewal was issued and replaced the certificate. */
  'renewal_issued',
] as const;
export type CaseClosedCause = (typeof CASE_CLOSED_CAUSES)[number];

export type EscalationMessage = Extract<OutboundMessage, { kind: 'escalation' }>;

/**
 * Hands a message to delivery, at most once per key: a second dispatch with the same key (a
 * re-run, a retry, another worker) is ignored. Durable: it survives restarts of this process.
 */
export interface Dispatcher {
  dispatch(message: OutboundMessage, key: string): Promise<void>;
  /** Many at once (a page of the expiry check), same guarantee per key, fewer round trips. */
  dispatchAll(messages: readonly KeyedMessage[]): Promise<void>;
}

export interface KeyedMessage {
  readonly message: OutboundMessage;
  readonly key: string;
}

/** Keeps what was dispatched, for use-case tests and the demo shell. */
export class RecordingDispatcher implements Dispatcher {
  readonly sent = new Map<string, OutboundMessage>();
  async dispatch(message: OutboundMessage, key: string): Promise<void> {
    if (!this.sent.has(key)) this.sent.set(key, message);
  }
  async dispatchAll(messages: readonly KeyedMessage[]): Promise<void> {
    for (const { message, key } of messages) await this.dispatch(message, key);
  }
}

/*
 * The rest of this file is what the job workers (src/jobs) deliver through: the use cases never
 * call it. It lives here, beside the messages it carries, so that src/slack implements it
 * without depending on the job runner, and src/jobs runs it without knowing Slack.
 */

/**
 * What became of a message handed to delivery:
 * - `delivered`: posted;
 * - `stale`: what it is about changed meanwhile (issued, renewed, gone): nothing to say;
 * - `no_one`: nobody to tell (an escalation without a requester, or a cause that needs no DM).
 */
export type DeliveryOutcome = 'delivered' | 'stale' | 'no_one';

/** An escalation to deliver and the key it was dispatched under. */
export interface KeyedEscalation {
  readonly message: EscalationMessage;
  readonly key: string;
}

export interface EscalationDelivery {
  /** `case`: one escalation, through the support case of its certificate; `digest`: several. */
  readonly posted: 'case' | 'digest' | 'none';
  /** Escalations whose requester should be told by DM (the caller queues those DMs). */
  readonly tellRequesters: readonly KeyedEscalation[];
}

/**
 * What a failed delivery means for the message it carried:
 * - `rate_limited`: wait the time the channel asked for;
 * - `unavailable`: the channel is down or out of reach. Nothing is wrong with the message: it
 *   stays due;
 * - `refused`: the channel refused this message for good (an archived channel, a deactivated
 *   user): no retry can fix it, so it is spent and someone is told;
 * - `failed`: anything else (a bug, an answer not known): retried with backoff, and given up
 *   after the job's attempts.
 */
export type DeliveryFailure =
  | { readonly kind: 'rate_limited'; readonly retryAfterMs: number }
  | { readonly kind: 'unavailable'; readonly reason: string }
  | { readonly kind: 'refused'; readonly code: string }
  | { readonly kind: 'failed'; readonly reason: string };

/**
 * How the delivery workers and the notification worker get messages to people; src/slack
 * implements it (rendering in the recipient's language, then posting). Each call is keyed by
 * the job run that makes it: a run repeated under the same key sends nothing sent already.
 * Every call throws when its message did not go out; `classify` says what the error means.
 */
export interface MessageDelivery {
  /** What carries the messages, for log lines (`Slack`). */
  readonly channel: string;
  /**
   * A message of the clocks to its recipient (for an escalation, the notice to its requester;
   * support gets escalations through `deliverEscalations`).
   */
  deliver(message: OutboundMessage, runKey: string): Promise<DeliveryOutcome>;
  /** Escalations to support: one as its certificate's case, several as one digest. */
  deliverEscalations(
    items: readonly KeyedEscalation[],
    runKey: string,
  ): Promise<EscalationDelivery>;
  /** Runs one notifier of the event (see NotifierRoutes); false when it has no handler for it. */
  notify(notifier: string, event: CertOpsEvent, runKey: string): Promise<boolean>;
  classify(error: unknown): DeliveryFailure;
  /** Whether a failed call may have delivered anyway (a dropped connection, a timeout). */
  outcomeUnknown(error: unknown): boolean;
}

/**
 * Which notifiers turn an event of this type into messages, by name: the notification queue
 * adds one job each, and the name is part of the job's id, so it stays the same across releases.
 */
export interface NotifierRoutes {
  notifiersOf(type: CertOpsEvent['type']): readonly string[];
}
