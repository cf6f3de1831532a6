/**
 * Security events: attempts the system refused (failed logins, denied
 * access, rate-limit refusals, rejected tokens) and the alerts they raise.
 * They belong to no aggregate, so they go to append-only security streams,
 * hash-chained like every other stream:
 *
 * - `security-<kind>-<YYYY-MM-DD>`: one stream per kind and UTC day, so no
 *   stream grows without bound and auditors can verify a day at a time;
 * - `security-account-<userId>`: what happened to one account (failed
 *   logins, alerts), which the per-account alert thresholds read back.
 *
 * None of their data is personal: accounts are named by user id, and the
 * client's IP and user agent sit in the encrypted metadata like everywhere
 * else.
 */
import { appendEvents } from '../append-events.ts'
import type { CommandContext, CommandServices } from '../command-context.ts'
import { withStreamLock } from '../stream-lock.ts'

export type SecurityEventType =
  | 'LoginFailed'
  | 'LoginAlertRaised'
  | 'PasswordChangeFailed'
  | 'AccessDenied'
  | 'PrivilegeEscalationAttempted'
  | 'TokenRejected'
  | 'RateLimitExceeded'
  | 'SuspiciousActivityDetected'

export interface SecurityEvent {
  readonly type: SecurityEventType
  readonly data: Record<string, string | number | boolean | null>
}

export function securityDayStream (kind: string, at: Date) {
  return `security-${kind}-${at.toISOString().slice(0, 10)}`
}

export function securityAccountStream (userId: string) {
  return `security-account-${userId}`
}

/**
 * Appends one security event. Writers in this process queue per stream, so
 * a burst of refusals does not turn into a burst of revision conflicts.
 */
export async function recordSecurityEvent (
  services: CommandServices,
  context: CommandContext,
  stream: string,
  event: SecurityEvent
) {
  return await withStreamLock(stream, () => appendEvents(services, context, {
    stream,
    events: [event],
    expected: 'any'
  }))
}
