/**
 * The customer account an API key acts for must still be an active
 * customer when the key is used: an erased account, or one that is no longer
 * a customer, ends what the key may do for it.
 */
import { forbidden } from '../command-errors.ts'
import type { CommandServices } from '../command-context.ts'
import { loadState } from '../handle-command.ts'
import { userStream } from '../users/events.ts'
import { evolveUser, initialUserState } from '../users/user-decider.ts'

export async function assertLinkedCustomer (
  services: CommandServices,
  customerId: string | null
): Promise<string> {
  if (customerId !== null && await isActiveCustomer(services, customerId)) {
    return customerId
  }

  throw forbidden('CR_ERR_API_KEY_CUSTOMER_INACTIVE',
    'the customer account this API key acts for is not active')
}

export async function isActiveCustomer (
  services: CommandServices,
  userId: string
) {
  const { state } = await loadState(services, {
    stream: userStream(userId),
    initialState: initialUserState,
    evolve: evolveUser
  })

  return state.exists && !state.erased && state.role === 'customer'
}
