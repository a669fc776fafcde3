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
