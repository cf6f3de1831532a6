/**
 * Ops commands for the read side: where each projection stands, rebuild one
 * beside the live tables, or run the projector as its own process.
 */
import type { Command } from 'commander'

import type { RecordedEvent } from '../eventstore/event-store.ts'
import type { Runtime } from '../runtime/open-runtime.ts'
import { print, withRuntime } from './with-runtime.ts'

const revealWith = (runtime: Runtime) =>
  (event: RecordedEvent) => runtime.services.codec.reveal(event)

export function registerProjectionCommands (program: Command) {
  const projections = program.command('projections')
    .description('read-model projections: status, rebuild, run')

  projections.command('status')
    .description('checkpoint, head and lag of every projection')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const [{ ALL_PROJECTIONS }, { projectionStatus }] = await Promise.all([
        import('../projections/index.ts'),
        import('../projections/projection-status.ts')
      ])
      await withRuntime(async (runtime) => {
        const statuses = await projectionStatus(runtime.store,
          runtime.services.db, ALL_PROJECTIONS)
        if (options.json === true) {
          print(JSON.stringify(statuses, (_key, value: unknown) =>
            typeof value === 'bigint' ? value.toString() : value, 2))
          return
        }
        print('projection  checkpoint  head  lag  state')
        for (const s of statuses) {
          print(`${s.name}  ${s.checkpoint}  ${s.head}  ${s.lag}  ${s.state}`)
        }
      })
    })

  projections.command('rebuild <name>')
    .description('rebuild one projection beside the live tables, then swap')
    .action(async (name: string) => {
      const [{ findProjection }, { rebuildProjection }] = await Promise.all([
        import('../projections/index.ts'),
        import('../projections/rebuild-projection.ts')
      ])
      const projection = findProjection(name)
      await withRuntime(async (runtime) => {
        const started = Date.now()
        const result = await rebuildProjection(runtime.store,
          runtime.services.db, projection, revealWith(runtime))
        print(`rebuilt ${projection.name}: swapped at ${result.swappedAt}, ` +
          `checkpoint ${result.checkpoint}, ${Date.now() - started} ms`)
      })
    })

  projections.command('run')
    .description('run the projector as its own process until interrupted')
    .action(async () => {
      const [{ ALL_PROJECTIONS }, { startProjector }] = await Promise.all([
        import('../projections/index.ts'),
        import('../projections/projector.ts')
      ])
      await withRuntime(async (runtime) => {
        const projector = await startProjector(runtime.store,
          runtime.services.db, ALL_PROJECTIONS, revealWith(runtime), {
            onError: (error) => process.stderr.write(`projector: ${String(error)}\n`)
          })
        print(`projector running: ${[...projector.active].join(', ') ||
          'waiting for locks'}`)
        await new Promise<void>((resolve) => {
          process.once('SIGINT', () => resolve())
          process.once('SIGTERM', () => resolve())
        })
        await projector.stop()
      })
    })
}
