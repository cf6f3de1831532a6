/**
 * Changes to a listed product by its vendor or an admin: details and price,
 * and stock adjustments (deliveries, write-offs). Another vendor's product
 * answers as if it did not exist.
 */
import type { CommandContext, CommandServices } from '../command-context.ts'
import { handleCommand } from '../handle-command.ts'
import { productStream, type ProductUpdated } from './events.ts'
import {
  decideAdjustStock,
  decideUpdate,
  evolveProduct,
  initialProductState,
  type Editor
} from './product-decider.ts'

const productSpec = (productId: string) => ({
  stream: productStream(productId),
  initialState: initialProductState,
  evolve: evolveProduct
})

export async function updateProduct (
  services: CommandServices,
  context: CommandContext,
  editor: Editor,
  productId: string,
  changes: ProductUpdated['changes']
) {
  const outcome = await handleCommand(services, context, {
    ...productSpec(productId),
    decide: (state) => decideUpdate(state, editor, changes)
  })

  return { productId, position: outcome.position }
}

export async function adjustStock (
  services: CommandServices,
  context: CommandContext,
  editor: Editor,
  productId: string,
  delta: number,
  reason: string
) {
  const outcome = await handleCommand(services, context, {
    ...productSpec(productId),
    decide: (state) => decideAdjustStock(state, editor, delta, reason)
  })

  return { productId, stock: outcome.state.stock, position: outcome.position }
}

export { productSpec }
