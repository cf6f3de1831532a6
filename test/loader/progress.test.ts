import t from 'tap'

import { createProgress } from '../../src/loader/progress.ts'

/** A stream that keeps what is written; `isTTY` picks bars or lines. */
function captureStream (isTTY: boolean) {
  const chunks: string[] = []
  const stream = {
    isTTY,
    columns: 120,
    write (chunk: string) {
      chunks.push(chunk)

      return true
    }
  } as unknown as NodeJS.WriteStream

  return { stream, output: () => chunks.join('') }
}

t.test('off writes nothing', async (t) => {
  const { stream, output } = captureStream(true)
  const phase = createProgress('off', stream).startPhase('orders', 3)

  phase.advance()
  phase.finish()

  t.equal(output(), '')
})

t.test('away from a terminal, plain lines at most every five seconds',
  async (t) => {
    const { stream, output } = captureStream(false)
    let now = 1_000_000
    const phase = createProgress('auto', stream, () => now)
      .startPhase('orders', 4)

    phase.advance()
    now += 4_999
    phase.advance()
    now += 1
    phase.advance()
    now += 2_500
    phase.advance()
    phase.finish()

    t.equal(output(), [
      'orders: 4 to do',
      'orders: 3/4 (75%)',
      'orders: 4/4 done in 7.5 s',
      ''
    ].join('\n'))
    t.notOk(output().includes('\r') || output().includes('\u001b'),
      'no carriage returns or escape codes')
  })

t.test('an empty phase counts as done', async (t) => {
  const { stream, output } = captureStream(false)
  let now = 0
  const phase = createProgress('lines', stream, () => now)
    .startPhase('checks', 0)

  now += 6_000
  phase.advance(0)
  phase.finish()

  t.match(output(), /checks: 0\/0 \(100%\)\nchecks: 0\/0 done in 6\.0 s/)
})

t.test('on a terminal, a bar per phase with its count', async (t) => {
  const { stream, output } = captureStream(true)
  const phase = createProgress('auto', stream).startPhase('users', 2)

  phase.advance()
  phase.advance()
  phase.finish()

  t.match(output(), /users\s+\[[^\]]*\] 2\/2 100%/)
})
