import t from 'tap'

import {
  formatChecks,
  formatSummary,
  type LoadSummary
} from '../../src/loader/load-summary.ts'

const summary: LoadSummary = {
  runId: 'r1a2b3',
  url: 'http://127.0.0.1:41234',
  engine: 'pglite',
  vendors: 64,
  products: 194,
  users: 208,
  passwordsRefused: 207,
  ordersAccepted: 131,
  ordersRefused: 77,
  refusals: { CR_ERR_ORDER_INSUFFICIENT_STOCK: 76, CR_ERR_OTHER: 1 },
  revenueCents: 123_456_789,
  unitsSold: 1_717,
  remainingStock: 8_123,
  expectedRemainingStock: 8_121,
  elapsedMs: 754_321,
  phaseMs: { catalogue: 12_345, users: 700_000, orders: 41_976 },
  eventsAppended: 4_242,
  eventsPerSecond: 5.623,
  checks: { passed: 609, failed: 0, failures: [] }
}

t.test('the summary prints every figure, money in cents and dollars',
  async (t) => {
    const lines = formatSummary(summary)

    t.equal(lines[0], 'run r1a2b3 against http://127.0.0.1:41234 (pglite)')
    t.match(lines, [
      /^run /,
      /^vendors: +64$/,
      /^products: +194$/,
      /^users registered: +208$/,
      /^dataset passwords refused by policy: +207$/,
      /^orders accepted: +131$/,
      /^orders refused: +77 \(CR_ERR_ORDER_INSUFFICIENT_STOCK 76, CR_ERR_OTHER 1\)$/,
      /^revenue: +123456789 cents \(\$1234567\.89\)$/,
      /^units sold: +1717$/,
      /^remaining stock: +8123 \(the loader expected 8121\)$/,
      /^total time: +754\.3 s \(catalogue 12\.3 s, users 700\.0 s, orders 42\.0 s\)$/,
      /^events appended: +4242 \(5\.6 events\/s\)$/
    ])
    t.equal(lines.length, 12)
  })

t.test('values line up in one column', async (t) => {
  const columns = formatSummary(summary).slice(1)
    .map((line) => line.search(/(?<=: +)\S/))

  t.equal(new Set(columns).size, 1, `value columns ${columns.join(',')}`)
})

t.test('with no refusals the refused row carries no codes', async (t) => {
  const lines = formatSummary({ ...summary, refusals: {}, ordersRefused: 0 })

  t.match(lines, [/./, /./, /./, /./, /./, /./, /^orders refused: +0$/])
})

t.test('checks print each mismatch, then the count', async (t) => {
  t.strictSame(formatChecks({ passed: 21, failed: 2, failures: [
    'cart 4: refused (CR_ERR_ORDER_INSUFFICIENT_STOCK), yet every line ' +
      'fitted the expected stock',
    'product 8 (p-8): stock is 3, expected -2'
  ] }), [
    'MISMATCH cart 4: refused (CR_ERR_ORDER_INSUFFICIENT_STOCK), yet every ' +
      'line fitted the expected stock',
    'MISMATCH product 8 (p-8): stock is 3, expected -2',
    'checks: 21 passed, 2 failed'
  ])
  t.strictSame(formatChecks({ passed: 23, failed: 0, failures: [] }),
    ['checks: 23 passed, 0 failed'])
})
