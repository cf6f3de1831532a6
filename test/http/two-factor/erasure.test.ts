import t from 'tap'

import { userStream } from '../../../src/commands/users/events.ts'
import { buildTestApp, signUp } from '../../helpers/app.ts'
import { dumpAllTables, findTraces } from '../../helpers/database-dump.ts'
import {
  codeAt,
  enableTwoFactor,
  secondStep,
  useFakeClock
} from '../../helpers/two-factor.ts'

const test = await buildTestApp(t)
const clock = useFakeClock(test)

t.test('erasure shreds the TOTP secret: the stored event reveals null', async (t) => {
  const user = await enableTwoFactor(test, clock, await signUp(test))
  const stream = userStream(user.userId)
  const setupEvent = async () => (await test.services.store.readStream(stream))
    .find((event) => event.type === 'TwoFactorSetupStarted')!
  const before = await test.services.codec.reveal(await setupEvent())
  t.equal((before.data as { secret: unknown }).secret, user.secret)

  const erased = await test.app.inject({ method: 'DELETE',
    url: '/api/users/me', headers: user.auth })
  t.equal(erased.statusCode, 204)

  const stored = await setupEvent()
  t.type((stored.data as { secret: unknown }).secret, 'object',
    'the ciphertext is still there, the chain intact')
  const after = await test.services.codec.reveal(stored)
  t.equal((after.data as { secret: unknown }).secret, null,
    'but no key decrypts it any more')
  t.same(findTraces(await dumpAllTables(test.database.db), [user.secret]), [])

  clock.advance(30)
  const login = await test.app.inject({ method: 'POST',
    url: '/api/users/login',
    payload: { email: user.email, password: user.password } })
  t.equal(login.statusCode, 401, 'no password step')
  const forged = await secondStep(test, {
    challenge: `${user.userId}.${'A'.repeat(43)}`,
    code: codeAt(user.secret, clock.now())
  })
  t.equal(forged.statusCode, 401, 'no second step either')
})
