/**
 * Two replicas spend one code at once. Inside one process the stream lock
 * queues them; across processes only the append's expected revision
 * stands between them. Here "another replica" appends its acceptance of
 * the code between this replica's read and its append (bypassing the
 * in-process lock, as another process would): the append must conflict,
 * the decision be taken again on the fresh history, and the code refused.
 */
import t from 'tap'

import { appendEvents } from '../../../src/commands/append-events.ts'
import type {
  CommandContext,
  CommandServices
} from '../../../src/commands/command-context.ts'
import { DomainError } from '../../../src/commands/command-errors.ts'
import { userStream } from '../../../src/commands/users/events.ts'
import {
  logInWithSecondFactor
} from '../../../src/commands/users/two-factor/log-in-second-factor.ts'
import {
  hashBackupCode
} from '../../../src/commands/users/two-factor/backup-codes.ts'
import { timeStepAt } from '../../../src/crypto/totp.ts'
import { buildTestApp, signUp } from '../../helpers/app.ts'
import { overrideStore } from '../../helpers/store-overrides.ts'
import {
  codeAt,
  enableTwoFactor,
  passwordStep,
  useFakeClock
} from '../../helpers/two-factor.ts'

const test = await buildTestApp(t)
const clock = useFakeClock(test)
const context: CommandContext = { actor: { kind: 'anonymous' },
  correlationId: 'replica-race', client: {} }

/** Services whose `nth` read of `stream` lets `interleave` append first
 * and then answers the history from before it; `reads()` counts them. */
function withInterleavedAppend (
  stream: string,
  nth: number,
  interleave: () => Promise<unknown>
) {
  let reads = 0
  const real = test.services.store
  const store = overrideStore(real, {
    readStream: async (name, options) => {
      const history = await real.readStream(name, options)
      if (name === stream && ++reads === nth) await interleave()
      return history
    }
  })
  const services: CommandServices = { ...test.services, store }

  return { services, reads: () => reads }
}

async function lastOf (stream: string) {
  return (await test.services.store.readStream(stream)).at(-1)!
}

async function refusal (work: Promise<unknown>) {
  try {
    await work
  } catch (error) {
    if (error instanceof DomainError) return error.code
    throw error
  }
  return 'accepted'
}

t.test('a code another replica accepted meanwhile is refused after the conflict', async (t) => {
  const user = await enableTwoFactor(test, clock, await signUp(test))
  clock.advance(30)
  const code = codeAt(user.secret, clock.now())
  const challenge = await passwordStep(test, user)
  const stream = userStream(user.userId)
  // Read 1 finds the actor's role; read 2 is the decision's, which the
  // other replica overtakes; read 3 is the decision taken again.
  const race = withInterleavedAppend(stream, 2, async () => {
    const last = await lastOf(stream)
    await appendEvents(test.services, context, {
      stream,
      events: [{ type: 'TotpCodeAccepted', data: { userId: user.userId,
        timeStep: timeStepAt(clock.now()) } }],
      expected: last.revision,
      previousHash: last.metadata.hash
    })
  })

  const outcome = await refusal(logInWithSecondFactor(race.services,
    context, { challenge, code }))

  t.equal(race.reads(), 3, 'the stale append conflicted and was redecided')
  t.equal(outcome, 'CR_ERR_2FA_CODE_INVALID')
  const history = await test.services.store.readStream(stream)
  t.equal(history.filter((e) => e.type === 'TotpCodeAccepted').length, 1,
    'the code was spent once')
  t.equal(history.filter((e) => e.type === 'UserLoggedIn').length, 1,
    'only the sign-up login')
})

t.test('a backup code another replica used meanwhile is refused after the conflict', async (t) => {
  const user = await enableTwoFactor(test, clock, await signUp(test))
  clock.advance(30)
  const challenge = await passwordStep(test, user)
  const stream = userStream(user.userId)
  const backupCode = user.backupCodes[2]!
  const hash = hashBackupCode(test.services.blindIndexKey, user.userId,
    backupCode)
  const generated = (await test.services.store.readStream(stream))
    .findLast((e) => e.type === 'BackupCodesGenerated')!
  const index = (generated.data as { hashes: string[] }).hashes.indexOf(hash)
  t.equal(index, 2)
  const race = withInterleavedAppend(stream, 2, async () => {
    const last = await lastOf(stream)
    await appendEvents(test.services, context, {
      stream,
      events: [{ type: 'BackupCodeUsed', data: { userId: user.userId, index } }],
      expected: last.revision,
      previousHash: last.metadata.hash
    })
  })

  const outcome = await refusal(logInWithSecondFactor(race.services,
    context, { challenge, backupCode }))

  t.equal(race.reads(), 3, 'the stale append conflicted and was redecided')
  t.equal(outcome, 'CR_ERR_2FA_CODE_INVALID')
  const used = (await test.services.store.readStream(stream))
    .filter((e) => e.type === 'BackupCodeUsed')
  t.equal(used.length, 1, 'the backup code was spent once')
})
