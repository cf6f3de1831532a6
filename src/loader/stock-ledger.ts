/**
 * The stock the loader expects each product to have left, kept from what
 * it sent rather than from what the server says: the stock each product
 * was created with, less every unit of every order the API accepted. Each
 * order is measured against it before it is sent, so the checks can tell
 * whether the API's answer (accepted, or refused for stock) was the one a
 * shop with exactly that stock would give.
 */
import type { CartLine } from './map-cart.ts'

export interface StockShortfall {
  readonly datasetProductId: number
  readonly ordered: number
  /** What the ledger expected to be left when the order was sent. */
  readonly expectedLeft: number
}

export class StockLedger {
  private readonly remaining: Map<number, number>

  /** Dataset product id → the stock the product was created with. */
  constructor (initial: Iterable<readonly [number, number]>) {
    this.remaining = new Map(initial)
  }

  /** The lines that ask for more than is expected to be left; none means
   * the order fits and should be accepted. */
  shortfallsOf (lines: readonly CartLine[]): StockShortfall[] {
    return lines.flatMap((line) => {
      const expectedLeft = this.expectedStock(line.datasetProductId)

      return line.quantity > expectedLeft
        ? [{ datasetProductId: line.datasetProductId, ordered: line.quantity,
            expectedLeft }]
        : []
    })
  }

  /**
   * An accepted order's units leave the stock, even when the ledger says
   * they were not there: the server sold them, and the stock check then
   * shows the difference (a negative expectation means it sold more than
   * it was given).
   */
  take (lines: readonly CartLine[]) {
    for (const line of lines) {
      this.remaining.set(line.datasetProductId,
        this.expectedStock(line.datasetProductId) - line.quantity)
    }
  }

  expectedStock (datasetProductId: number) {
    return this.remaining.get(datasetProductId) ?? 0
  }

  get totalStock () {
    let total = 0
    for (const stock of this.remaining.values()) total += stock

    return total
  }
}
