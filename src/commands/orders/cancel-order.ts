/**
 * Cancelling an order by its customer or an admin: the cancellation is
 * recorded first, then the order's stock goes back to its products. If the
 * process dies in between, the reconciler (reconcile-order-sagas.ts)
 * returns what is still held, once.
 */
import type { CommandContext, CommandServices } from '../command-context.ts'
import { handleCommand } from '../handle-command.ts'
import {
  decideCancel,
  orderSpec,
  type Canceller
} from './order-decider.ts'
import { releaseAll } from './place-order.ts'

export async function cancelOrder (
  services: CommandServices,
  context: CommandContext,
  canceller: Canceller,
  orderId: string,
  reason: string
) {
  const outcome = await handleCommand(services, context, {
    ...orderSpec(orderId),
    decide: (state) => decideCancel(state, canceller, reason,
      services.now().toISOString())
  })
  const released = await releaseAll(services, context, orderId,
    outcome.state.lines)

  return {
    orderId,
    status: 'cancelled' as const,
    position: released > outcome.position ? released : outcome.position
  }
}
