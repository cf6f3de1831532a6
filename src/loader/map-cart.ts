/**
 * A cart as the order its owner places: one line per product (a cart that
 * lists a product twice orders the sum), in the cart's order. The expected
 * total is worked out here from the catalogue prices, independently of the
 * API, so the checks have something of their own to compare with.
 */
import type { DatasetCart, DatasetProduct } from './dataset.ts'
import { LoaderError } from './loader-error.ts'
import { toCents } from './map-catalogue.ts'

export interface CartLine {
  readonly datasetProductId: number
  readonly quantity: number
}

export interface ExpectedLine extends CartLine {
  readonly unitPriceCents: number
  readonly lineTotalCents: number
}

export function mergeCartLines (cart: DatasetCart): CartLine[] {
  const quantities = new Map<number, number>()
  for (const line of cart.products) {
    quantities.set(line.id, (quantities.get(line.id) ?? 0) + line.quantity)
  }

  return [...quantities].map(([datasetProductId, quantity]) =>
    ({ datasetProductId, quantity }))
}

export function priceLines (
  lines: readonly CartLine[],
  catalogue: ReadonlyMap<number, DatasetProduct>
): ExpectedLine[] {
  return lines.map((line) => {
    const product = catalogue.get(line.datasetProductId)
    if (product === undefined) {
      throw new LoaderError('CR_ERR_LOADER_DATASET',
        `a cart names unknown product ${line.datasetProductId}`)
    }
    const unitPriceCents = toCents(product.price)

    return { ...line, unitPriceCents,
      lineTotalCents: unitPriceCents * line.quantity }
  })
}

export function totalOf (lines: readonly ExpectedLine[]) {
  return lines.reduce((sum, line) => sum + line.lineTotalCents, 0)
}

/** Carts replay in id order, as the shop would have received them. */
export function sortCarts (carts: readonly DatasetCart[]) {
  return [...carts].sort((a, b) => a.id - b.id)
}
