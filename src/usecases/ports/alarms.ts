/** Wakes the review clock at a submission's SLA points (the store's index stays the truth). */
export interface ReviewAlarms {
  schedule(applicationId: string, remindAt: number, breachAt: number): Promise<void>;
}
