/**
 * Every key the store writes, in one place, under one configurable prefix. BullMQ keeps its
 * own keys under a different prefix (CERTOPS_QUEUE_PREFIX).
 */
export type EntityKind = 'cert' | 'app' | 'contact';

export function storeKeys(prefix: string) {
  const k = (...parts: string[]) => [prefix, ...parts].join(':');
  return {
    prefix,
    entity: (kind: EntityKind, id: string) => k(kind, id),
    credits: (team: string) => k('credits', team),
    /** Append-only: every change, in order. */
    audit: () => k('audit'),
    /**
     * Append-only: one entity's history, for `/cert status`. A list of JSON entries, not a
     * stream: a stream costs ~4.7 KB even with one entry, a short list ~100 bytes an entry.
     */
    entityAudit: (kind: EntityKind | 'credits', id: string) => k('audit', kind, id),
    idempotency: (key: string) => k('once', key),
    /** What was sent for a subject, forever: one hash, a field per entry. */
    ledger: (subject: string) => k('ledger', subject),
    /** The version of the indexes' layout (migrations: RedisStore.migrate). */
    schema: () => k('schema'),
    certFingerprint: (fingerprint: string) => k('uniq', 'cert', 'fingerprint', fingerprint),
    contactEmail: (email: string) => k('uniq', 'contact', 'email', email),
    contactPhone: (phone: string) => k('uniq', 'contact', 'phone', phone),
    idx: {
      /** Live certificates by notAfter (epoch ms): the expiry check reads only its window. */
      certNotAfter: () => k('idx', 'cert', 'notAfter'),
      certCreated: () => k('idx', 'cert', 'created'),
      certState: (state: string) => k('idx', 'cert', 'state', state),
      appStatus: (status: string) => k('idx', 'app', 'status', status),
      appCertificate: (certId: string) => k('idx', 'app', 'cert', certId),
      /** Submitted OV/EV applications by SLA point; removed once the CA decides. */
      appRemindAt: () => k('idx', 'app', 'remindAt'),
      appBreachAt: () => k('idx', 'app', 'breachAt'),
      contactTeam: (team: string) => k('idx', 'contact', 'team', team),
      /**
       * A person's or a team's certificates in list order (domain/listing.ts): live ones by
       * notAfter, the others by state rank, so `/cert list` reads one page, never all of them.
       */
      certList: (by: 'owner' | 'team', of: 'live' | 'other', id: string) =>
        k('idx', 'cert', `${by}-${of}`, id),
      /**
       * A team's instances someone may apply for now (applicableInstance), by name and by id
       * (lexicographic, score 0): the apply and combine modals read a page or a prefix.
       */
      certApplicable: (team: string) => k('idx', 'cert', 'applicable', team),
      /** A person's requests by creation time: `/cert list` reads the newest. */
      appRecentOfRequester: (user: string) => k('idx', 'app', 'requester-created', user),
    },
  };
}
export type StoreKeys = ReturnType<typeof storeKeys>;
