/**
 * The read models as the loader reads them back over HTTP, every page of
 * them: a vendor's products from the public catalogue (GET /api/products),
 * and a customer's orders as an admin sees them (GET /api/admin/orders).
 * Each read waits for the position of the loader's last command, so it
 * sees everything the loader did.
 */
import type { OrderView, ProductView } from './compare-read-models.ts'
import type { ReplayContext } from './replay-context.ts'

interface Page<Item> {
  readonly items: readonly Item[]
  readonly nextCursor: string | null
}

const PAGE_SIZE = 100

/** The products a vendor lists, by productId. */
export async function listVendorProducts (
  context: ReplayContext,
  vendorId: string
): Promise<Map<string, ProductView>> {
  const products = await readEveryPage<ProductView>(context,
    `/api/products?vendorId=${vendorId}`, undefined)

  return new Map(products.map((p) => [p.productId, p]))
}

/** A customer's orders, by orderId. */
export async function listCustomerOrders (
  context: ReplayContext,
  customerId: string
): Promise<Map<string, OrderView>> {
  const orders = await readEveryPage<OrderView>(context,
    `/api/admin/orders?customerId=${customerId}`, context.adminToken)

  return new Map(orders.map((o) => [o.orderId, o]))
}

async function readEveryPage<Item> (
  context: ReplayContext,
  path: string,
  token: string | undefined
): Promise<Item[]> {
  const items: Item[] = []
  let after: string | null = null
  do {
    const cursor: string = after === null ? '' : `&after=${after}`
    const page: Page<Item> = await context.api.call<Page<Item>>('GET',
      `${path}&limit=${PAGE_SIZE}${cursor}`, 200,
      { token, minPosition: context.positions.last })
    items.push(...page.items)
    after = page.nextCursor
  } while (after !== null)

  return items
}
