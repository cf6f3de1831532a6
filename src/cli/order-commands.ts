/**
 * Order sagas for operators: one reconciler pass over the whole log, for
 * when no server runs one (or to settle things now, after a crash). Safe
 * beside running servers: every release is decided on its stream.
 */
import type { Command } from 'commander'

import { operatorContext, print, withRuntime } from './with-runtime.ts'

const DEFAULT_GRACE_SECONDS = 60

export function registerOrderCommands (program: Command) {
  const orders = program.command('orders').description('order sagas')

  orders.command('reconcile')
    .description('release stock held by orders a crash left unrecorded, ' +
      'and return the stock of cancelled orders that did not get it back')
    .option('--grace <seconds>', 'leave sagas that moved more recently ' +
      'than this alone', String(DEFAULT_GRACE_SECONDS))
    .action(async (options: { grace: string }) => {
      const graceMs = toGraceMs(options.grace)
      const { reconcileOrderSagas } =
        await import('../commands/orders/reconcile-order-sagas.ts')
      await withRuntime(async ({ services }) => {
        const report = await reconcileOrderSagas(services, {
          graceMs,
          correlationId: operatorContext().correlationId,
          onError: (error) => process.stderr.write(
            `cloudretail: ${error instanceof Error ? error.message : String(error)}\n`)
        })
        print(`${report.abandoned} orders abandoned, ` +
          `${report.released} reservations released, ` +
          `${report.returned} cancelled lines returned, ` +
          `${report.waiting} left for later`)
        if (report.failed > 0) {
          throw new Error(`${report.failed} sagas could not be settled`)
        }
      })
    })
}

function toGraceMs (seconds: string) {
  if (!/^\d+$/.test(seconds)) {
    throw new Error('--grace must be a whole number of seconds')
  }

  return Number(seconds) * 1000
}
