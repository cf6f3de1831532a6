/**
 * Registration records the GDPR consent as the issue asks: the privacy
 * policy version and the time it was given, in the UserRegistered event
 * itself (the system of record), and the profile shows the same.
 */
import t from 'tap'

import { CONSENT_VERSION } from '../../../src/commands/users/register-user.ts'
import { buildTestApp, newRegistration } from '../../helpers/app.ts'

const test = await buildTestApp(t)

async function registerAt (overrides: Record<string, unknown> = {}) {
  const before = Date.now()
  const body = newRegistration(overrides)
  const response = await test.app.inject({
    method: 'POST', url: '/api/users/register', payload: body
  })
  const after = Date.now()
  if (response.statusCode !== 201) throw new Error(response.body)
  const { userId } = response.json() as { userId: string }
  const event = await test.database.db.selectFrom('events')
    .select(['type', 'data', 'metadata'])
    .where('stream_id', '=', `user-${userId}`)
    .orderBy('position')
    .executeTakeFirstOrThrow()

  return { before, after, body, userId, event: event as unknown as {
    type: string
    data: { consent: Record<string, unknown> }
    metadata: { occurredAt: string }
  } }
}

t.test('the consent version and the time it was given are in the event',
  async (t) => {
    const { before, after, event } = await registerAt()

    t.equal(event.type, 'UserRegistered')
    t.equal(event.data.consent.version, CONSENT_VERSION)
    t.equal(CONSENT_VERSION, '1.0')
    const grantedAt = event.data.consent.grantedAt as string
    t.match(grantedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    const granted = Date.parse(grantedAt)
    t.ok(granted >= before && granted <= after,
      `granted at ${grantedAt}, during the request ` +
      `(${new Date(before).toISOString()} to ${new Date(after).toISOString()})`)
    t.ok(Math.abs(granted - Date.parse(event.metadata.occurredAt)) < 1000,
      'when the event itself happened')
  })

t.test('two registrations a moment apart record two consent times',
  async (t) => {
    const first = await registerAt()
    await new Promise((resolve) => setTimeout(resolve, 20))
    const second = await registerAt()

    const times = [first, second].map((r) =>
      Date.parse(r.event.data.consent.grantedAt as string))
    t.ok(times[1]! - times[0]! >= 20, `${times[1]! - times[0]!} ms apart`)
  })

t.test('optional consents are recorded as given, false when absent',
  async (t) => {
    const given = await registerAt({ marketingConsent: true,
      thirdPartyConsent: true })
    const absent = await registerAt()

    t.match(given.event.data.consent,
      { marketing: true, analytics: false, thirdParty: true })
    t.match(absent.event.data.consent,
      { marketing: false, analytics: false, thirdParty: false })
  })

t.test('the profile shows the consent the event recorded', async (t) => {
  const { body, event } = await registerAt()
  const login = await test.app.inject({
    method: 'POST',
    url: '/api/users/login',
    payload: { email: body.email, password: body.password }
  })
  const me = await test.app.inject({
    method: 'GET',
    url: '/api/users/me',
    headers: { authorization: `Bearer ${login.json().token as string}` }
  })

  t.equal(me.statusCode, 200)
  t.strictSame(me.json().consent, event.data.consent)
})
