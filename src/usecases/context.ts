import type { Clock } from '../domain/clock.js';
import type { Roles } from '../domain/permissions.js';
import type { BusinessDayAdder } from '../domain/sla.js';
import type { IdGenerator } from './ids.js';
import type { CaRegistry, Dispatcher, EventSink, ReviewAlarms, Store } from './ports/index.js';

/** Who may do what (domain/permissions.ts), and when: from configuration. */
export interface Policy extends Roles {
  readonly timeZone: string;
  /** Days before expiry on which unhosted certificates' owners are reminded. */
  readonly reminderDays: readonly number[];
}

/** Which team a Slack user works in; certificates belong to teams. */
export interface TeamDirectory {
  teamOf(userId: string): string;
}

/** Everything a use case may touch. Slack handlers, jobs and tests build one of these. */
export interface UseCaseContext {
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly calendar: BusinessDayAdder;
  readonly policy: Policy;
  readonly teams: TeamDirectory;
  readonly ca: CaRegistry;
  readonly events: EventSink;
  /** Hands the messages of the clocks (and support's case closings) to delivery, once per key. */
  readonly dispatcher: Dispatcher;
  /** Wakes the review clock at SLA points; optional, the review sweep is the safety net. */
  readonly reviewAlarms?: ReviewAlarms;
}

export const DEFAULT_TEAM = 'default';

/** Teams from configuration (CERTOPS_TEAMS); everyone not listed works in `default`. */
export function teamDirectory(memberOf: Readonly<Record<string, string>>): TeamDirectory {
  return { teamOf: (userId) => memberOf[userId] ?? DEFAULT_TEAM };
}
