import type { Command } from 'commander'

import { print, withRuntime } from './with-runtime.ts'

export function registerServeCommands (program: Command) {
  program.command('serve')
    .description('run the HTTP API (and the projector, unless --no-projector)')
    .option('--no-projector', 'leave projections to `projections run`')
    .action(async (options: { projector: boolean }) => {
      const [{ loadConfig }, { startServer, stopOnSignals }] =
        await Promise.all([import('../config/load-config.ts'),
          import('../http/server.ts')])
      const server = await startServer(loadConfig(),
        { withProjector: options.projector })
      stopOnSignals(server)
    })

  program.command('migrate')
    .description('bring the database schema up to date')
    .action(async () => {
      await withRuntime(async ({ applied }) => {
        for (const name of applied) print(`applied ${name}`)
        print('schema is up to date')
      })
    })
}
