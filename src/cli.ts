/**
 * The one command-line entry: `cloudretail <command>` (or `npm run cli --`).
 * Each command lives in src/cli/; this file only declares them.
 */
import { Command } from 'commander'

import { registerAuditCommands } from './cli/audit-commands.ts'
import { registerKeyCommands } from './cli/key-commands.ts'
import { registerLoadCommand } from './cli/load-command.ts'
import { registerOrderCommands } from './cli/order-commands.ts'
import { registerProjectionCommands } from './cli/projection-commands.ts'
import { registerServeCommands } from './cli/serve-commands.ts'
import { registerUserCommands } from './cli/user-commands.ts'

const program = new Command()
  .name('cloudretail')
  .description('CloudRetail: an event-sourced, secure-by-default retail backend')
  .showHelpAfterError()

registerServeCommands(program)
registerProjectionCommands(program)
registerUserCommands(program)
registerAuditCommands(program)
registerKeyCommands(program)
registerOrderCommands(program)
registerLoadCommand(program)

try {
  await program.parseAsync(process.argv)
} catch (error) {
  const message = error instanceof Error ? error.message : String(error)
  process.stderr.write(`cloudretail: ${message}\n`)
  process.exitCode = 1
}
