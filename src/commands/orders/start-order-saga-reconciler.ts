/**
 * The reconciler as a background task of a long-running process (the
 * server): one pass every interval, never two at once. The first pass reads
 * the whole log, later ones only what was appended since. Every replica may
 * run one; their writes are decided on the streams, so they never release
 * anything twice.
 */
import type { CommandServices } from '../command-context.ts'
import {
  createOrderSagaReconciler,
  type ReconcileOptions,
  type ReconcileReport
} from './reconcile-order-sagas.ts'

export const DEFAULT_RECONCILE_INTERVAL_MS = 15_000

export interface ReconcilerSchedule
  extends Omit<ReconcileOptions, 'correlationId' | 'isStopping'> {
  /** Between the end of one pass and the start of the next (and before
   * the first); default DEFAULT_RECONCILE_INTERVAL_MS. */
  readonly intervalMs?: number
  /** Told what each pass did. */
  readonly onReport?: (report: ReconcileReport) => void
}

export interface RunningReconciler {
  /** Ends the pass in flight at its next step, and schedules no more. */
  stop(): Promise<void>
}

export function startOrderSagaReconciler (
  services: CommandServices,
  schedule: ReconcilerSchedule = {}
): RunningReconciler {
  const { intervalMs = DEFAULT_RECONCILE_INTERVAL_MS, onReport, ...options } =
    schedule
  let stopping = false
  const reconciler = createOrderSagaReconciler(services,
    { ...options, isStopping: () => stopping })
  let pass: Promise<void> = Promise.resolve()
  let timer: NodeJS.Timeout | undefined

  const next = () => {
    // The server's sockets keep the process alive, not this timer.
    timer = setTimeout(runPass, intervalMs).unref()
  }
  const runPass = () => {
    pass = (async () => {
      try {
        onReport?.(await reconciler.reconcile())
      } catch (error) {
        options.onError?.(error)
      }
      if (!stopping) next()
    })()
  }
  next()

  return {
    async stop () {
      stopping = true
      clearTimeout(timer)
      await pass
    }
  }
}
