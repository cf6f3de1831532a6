import t from 'tap'

import { StockLedger } from '../../src/loader/stock-ledger.ts'

t.test('an order fits while every line has the stock left', async (t) => {
  const ledger = new StockLedger([[1, 5], [2, 1]])

  t.strictSame(ledger.shortfallsOf([{ datasetProductId: 1, quantity: 5 },
    { datasetProductId: 2, quantity: 1 }]), [])
  t.strictSame(ledger.shortfallsOf([{ datasetProductId: 1, quantity: 2 },
    { datasetProductId: 2, quantity: 2 }]),
  [{ datasetProductId: 2, ordered: 2, expectedLeft: 1 }])
})

t.test('accepted orders take their units; a product never created has none',
  async (t) => {
    const ledger = new StockLedger([[1, 5], [2, 1]])

    ledger.take([{ datasetProductId: 1, quantity: 3 }])

    t.equal(ledger.expectedStock(1), 2)
    t.equal(ledger.totalStock, 3)
    t.strictSame(ledger.shortfallsOf([{ datasetProductId: 1, quantity: 3 }]),
      [{ datasetProductId: 1, ordered: 3, expectedLeft: 2 }])
    t.strictSame(ledger.shortfallsOf([{ datasetProductId: 9, quantity: 1 }]),
      [{ datasetProductId: 9, ordered: 1, expectedLeft: 0 }])
  })

t.test('units sold beyond the stock leave it negative, for the stock check',
  async (t) => {
    const ledger = new StockLedger([[1, 1]])

    ledger.take([{ datasetProductId: 1, quantity: 3 }])

    t.equal(ledger.expectedStock(1), -2)
    t.equal(ledger.totalStock, -2)
  })
