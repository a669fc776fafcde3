import type { Application } from '../../domain/application.js';
import type { Certificate } from '../../domain/certificate.js';
import type { DomainChallenge } from './ca.js';

/**
 * What happened, for the people who need to hear about it. Use cases publish these after their
 * change is committed; the Slack adapter (and later the queue) turns them into messages.
 */
export type CertOpsEvent =
  | {
      readonly type: 'approval_requested';
      readonly application: Application;
      readonly certificate: Certificate;
    }
  | {
      readonly type: 'application_decided';
      readonly application: Application;
      readonly certificate: Certificate;
      readonly decision: 'approved' | 'rejected' | 'lapsed';
    }
  | {
      readonly type: 'submitted_to_ca';
      readonly application: Application;
      readonly certificate: Certificate;
      /** A step people must take at the CA, which its API cannot (see CaSubmitted). */
      readonly caActionNeeded?: string;
    }
  | {
      readonly type: 'ca_submission_failed';
      readonly application: Application;
      readonly certificate: Certificate;
      readonly error: string;
    }
  | {
      readonly type: 'certificate_issued';
      readonly application: Application;
      readonly certificate: Certificate;
    }
  /** The CA waits for domain validation records the requester must publish (ACME DNS-01, CAS). */
  | {
      readonly type: 'ca_challenges';
      readonly application: Application;
      readonly certificate: Certificate;
      readonly challenges: readonly DomainChallenge[];
    }
  | {
      readonly type: 'validation_failed';
      readonly application: Application;
      readonly certificate: Certificate;
      readonly reason: string;
    }
  | {
      readonly type: 'hosting_enabled';
      readonly application: Application;
      readonly certificate: Certificate;
      readonly renewal: Certificate;
    }
  | {
      readonly type: 'renewal_purchased';
      readonly application: Application;
      readonly certificate: Certificate;
      readonly renewal: Certificate;
    }
  | {
      readonly type: 'instances_combined';
      readonly application: Application;
      readonly combined: Certificate;
      readonly sources: readonly Certificate[];
    };

/** Delivery must not fail the use case: the change is already committed. Implementations log. */
export interface EventSink {
  publish(event: CertOpsEvent): Promise<void>;
}

/**
 * A sink whose deliveries can be awaited: the notification queue of a running CertOps
 * (src/jobs/notifications.ts), which delivers each event through the delivery port.
 */
export interface DrainableEventSink extends EventSink {
  /** Resolves when what this process published so far has been delivered (bounded). */
  drain(): Promise<void>;
}

/** Keeps events in memory: for tests and for callers that deliver them themselves. */
export class RecordingEventSink implements EventSink {
  readonly events: CertOpsEvent[] = [];
  async publish(event: CertOpsEvent): Promise<void> {
    this.events.push(event);
  }
}
