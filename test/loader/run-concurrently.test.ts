import { setTimeout as sleep } from 'node:timers/promises'

import t from 'tap'

import { runConcurrently } from '../../src/loader/run-concurrently.ts'

t.test('results keep item order with at most the limit in flight',
  async (t) => {
    let inFlight = 0
    let most = 0
    const results = await runConcurrently([5, 1, 4, 2, 3, 0], 2,
      async (n) => {
        inFlight++
        most = Math.max(most, inFlight)
        await sleep(n)
        inFlight--

        return n * 10
      })

    t.strictSame(results, [50, 10, 40, 20, 30, 0])
    t.equal(most, 2)
  })

t.test('the first failure is thrown and later items do not start',
  async (t) => {
    const started: number[] = []
    const run = runConcurrently([1, 2, 3, 4], 1, async (n) => {
      started.push(n)
      if (n === 2) throw new Error('boom')
    })

    await t.rejects(run, /boom/)
    t.strictSame(started, [1, 2])
  })
