// Every PostgreSQL advisory lock key the central service uses, in one place: two features that picked the same number
// once made rule edits wait forever behind the webhook dispatcher's session lock.
export const advisoryLocks = {
  /** Transaction lock: one migration run at a time. */
  migrations: 727274,
  /** Transaction lock: rule and group writes of the MDE, so concurrent edits keep a total order. */
  mdeRules: 727275,
  /** Session lock: the one webhook outbox dispatcher per database. */
  webhookDispatcher: 727276,
} as const;
