/**
 * Anonymous data subjects: requests with no user yet (a failed login by an
 * unknown email, a registration attempt) still record an IP and user agent.
 * These are encrypted under one key per UTC day, and a retention job shreds
 * each day's key once it is older than the server-log retention period, which
 * makes every such IP unreadable at once without touching an event.
 */
import type { SubjectKeyStore } from './subject-key-store.ts'

export const ANONYMOUS_SUBJECT_PREFIX = 'anonymous-'

/** Server-log retention in the security architecture. */
export const ANONYMOUS_KEY_RETENTION_DAYS = 90

const DAY_MS = 24 * 60 * 60 * 1000
const ANONYMOUS_SUBJECT = /^anonymous-\d{4}-\d{2}-\d{2}$/

/** `anonymous-YYYY-MM-DD` for the UTC day of the date. */
export function anonymousSubjectFor (date: Date): string {
  return `${ANONYMOUS_SUBJECT_PREFIX}${date.toISOString().slice(0, 10)}`
}

export function isAnonymousSubject (subject: string): boolean {
  return ANONYMOUS_SUBJECT.test(subject)
}

/**
 * Shreds every daily anonymous key whose day ended at least `retentionDays`
 * ago, so data is kept that long at least and one day longer at most.
 * Returns the subjects shredded; running it again shreds nothing new.
 */
export async function shredExpiredAnonymousKeys (
  keys: SubjectKeyStore,
  now: Date,
  retentionDays = ANONYMOUS_KEY_RETENTION_DAYS
): Promise<string[]> {
  const oldestKept = anonymousSubjectFor(
    new Date(now.getTime() - retentionDays * DAY_MS)
  )
  // ISO dates sort as text, so the comparison is by day.
  const expired = (await keys.listSubjects(ANONYMOUS_SUBJECT_PREFIX))
    .filter((subject) => isAnonymousSubject(subject) && subject < oldestKept)
  for (const subject of expired) {
    await keys.shred(subject)
  }

  return expired
}
