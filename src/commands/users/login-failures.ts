/**
 * Wrong passwords are security events. A guess against an existing account
 * goes to that account's security stream and to the day's stream; a guess
 * at an unknown email only to the day's stream, naming nobody (never the
 * email, not even its blind index: indexes live only in deletable lookup
 * rows). Five guesses against one account within 15 minutes raise one
 * LoginAlertRaised; further guesses inside that window raise no more.
 */
import { isWrongExpectedRevision } from '../../eventstore/errors.ts'
import type { RecordedEvent } from '../../eventstore/event-store.ts'
import { appendEvents } from '../append-events.ts'
import type { CommandContext, CommandServices } from '../command-context.ts'
import {
  recordSecurityEvent,
  securityAccountStream,
  securityDayStream,
  type SecurityEventType
} from '../security/security-events.ts'

export const LOGIN_ALERT_THRESHOLD = 5
export const LOGIN_ALERT_WINDOW_MS = 15 * 60 * 1000

/** Both are someone trying a password that is not the account's. */
const GUESSES: ReadonlySet<string> =
  new Set<SecurityEventType>(['LoginFailed', 'PasswordChangeFailed'])

export type GuessKind = 'LoginFailed' | 'PasswordChangeFailed'

/**
 * Records one wrong password. `userId` is the account it was tried
 * against, or undefined when no account has that email.
 */
export async function recordWrongPassword (
  services: CommandServices,
  context: CommandContext,
  userId: string | undefined,
  kind: GuessKind = 'LoginFailed'
) {
  const at = services.now()
  const event = {
    type: kind,
    data: {
      userId: userId ?? null,
      reason: userId === undefined ? 'unknown_account' : 'wrong_password',
      at: at.toISOString()
    }
  }
  await recordSecurityEvent(services, context,
    securityDayStream('login', at), event)
  if (userId === undefined) return

  await recordSecurityEvent(services, context,
    securityAccountStream(userId), event)
  await raiseLoginAlertIfDue(services, context, userId, at)
}

/**
 * Raises LoginAlertRaised when the account's stream holds the threshold's
 * worth of failed attempts (any LoginFailed, second-factor ones included,
 * and PasswordChangeFailed) inside the window and no alert yet. Call it
 * after appending a failure to the account's stream.
 */
export async function raiseLoginAlertIfDue (
  services: CommandServices,
  context: CommandContext,
  userId: string,
  at: Date
) {
  const stream = securityAccountStream(userId)
  // Enough history for one window: the threshold's worth of guesses and
  // the alert that may already cover them.
  const recent = await services.store.readStream(stream,
    { direction: 'backwards', limit: 64 })
  const since = at.getTime() - LOGIN_ALERT_WINDOW_MS
  const inWindow = recent.filter((event) => occurredAt(event) > since)
  const guesses = inWindow.filter((event) => GUESSES.has(event.type)).length
  const alerted = inWindow.some((event) => event.type === 'LoginAlertRaised')
  if (guesses < LOGIN_ALERT_THRESHOLD || alerted) return

  const last = recent[0]!
  const alert = {
    type: 'LoginAlertRaised' as const,
    data: {
      userId,
      failures: guesses,
      windowMinutes: LOGIN_ALERT_WINDOW_MS / 60_000,
      at: at.toISOString()
    }
  }
  try {
    // Appended only onto what was just read: when two guesses race, the
    // one whose view is stale loses here, so a window gets one alert.
    await appendEvents(services, context, {
      stream,
      events: [alert],
      expected: last.revision,
      previousHash: last.metadata.hash
    })
  } catch (error) {
    if (isWrongExpectedRevision(error)) return
    throw error
  }
  await recordSecurityEvent(services, context,
    securityDayStream('alert', at), alert)
}

function occurredAt (event: RecordedEvent) {
  const at = (event.data as { at?: unknown }).at

  return typeof at === 'string' ? Date.parse(at) : event.recordedAt.getTime()
}
