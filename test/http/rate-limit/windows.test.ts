/**
 * The three windows on a clock moved by hand: 15 minutes, an hour and a day
 * each hold, a window's budget returns when it ends, and Retry-After names
 * the window that is exhausted. The in-memory counters are fixed windows
 * that start with a key's first request.
 */
import t from 'tap'

import { buildTestApp } from '../../helpers/app.ts'
import { emptyLogin, statusesOf, useFakeClock } from '../../helpers/rate-limit.ts'

const MINUTE = 60 * 1000
const FROM = { address: '203.0.113.20' }

t.test('login: 5 per 15 minutes, then 100 a day, with the real limits',
  async (t) => {
    const test = await buildTestApp(t, { rateLimit: {} })
    const clock = useFakeClock(t)

    // Five hours of 15-minute windows: five pass and the sixth is refused
    // in each, until the day's 100 are spent.
    for (let window = 0; window < 20; window++) {
      const statuses = await statusesOf(6, () => emptyLogin(test.app, FROM))
      t.same(statuses, [400, 400, 400, 400, 400, 429], `window ${window}`)
      clock.advance(15 * MINUTE)
    }

    const refused = await emptyLogin(test.app, FROM)
    t.equal(refused.statusCode, 429, 'the 101st of the day is refused')
    const retryAfter = Number(refused.headers['retry-after'])
    t.ok(retryAfter > 18 * 3600 && retryAfter <= 19 * 3600,
      `Retry-After is when the day ends (${retryAfter} s)`)
    t.equal(refused.headers['ratelimit-limit'], '100')

    clock.advance(retryAfter * 1000)
    t.equal((await emptyLogin(test.app, FROM)).statusCode, 400,
      'the next day has a budget again')
  })

t.test('an hour limit below four 15-minute windows holds on its own',
  async (t) => {
    // With the real numbers the hour is exactly four 15-minute windows, so
    // it is never the first to run out; smaller ones show it is enforced.
    const test = await buildTestApp(t, {
      rateLimit: { tiers: { login: [5, 8, 100] } }
    })
    const clock = useFakeClock(t)

    t.same(await statusesOf(5, () => emptyLogin(test.app, FROM)),
      [400, 400, 400, 400, 400])
    clock.advance(15 * MINUTE)
    const statuses = await statusesOf(4, () => emptyLogin(test.app, FROM))
    t.same(statuses, [400, 400, 400, 429])

    const refused = await emptyLogin(test.app, FROM)
    t.equal(refused.headers['ratelimit-limit'], '8')
    t.equal(refused.headers['retry-after'], String(45 * 60),
      'Retry-After names the hour, not the fresh 15-minute window')
    clock.advance(45 * MINUTE)
    t.equal((await emptyLogin(test.app, FROM)).statusCode, 400)
  })

t.test('allowed responses show the window with the fewest requests left',
  async (t) => {
    const test = await buildTestApp(t, {
      rateLimit: { tiers: { login: [5, 7, 100] } }
    })
    const clock = useFakeClock(t)

    const first = await emptyLogin(test.app, FROM)
    t.equal(first.headers['ratelimit-limit'], '5')
    t.equal(first.headers['ratelimit-remaining'], '4')
    t.equal(first.headers['ratelimit-reset'], '900')
    await statusesOf(2, () => emptyLogin(test.app, FROM))
    clock.advance(15 * MINUTE)
    const later = await emptyLogin(test.app, FROM)
    t.equal(later.headers['ratelimit-limit'], '7', 'the hour is closest')
    t.equal(later.headers['ratelimit-remaining'], '3')
    t.equal(later.headers['ratelimit-reset'], String(45 * 60))
  })
