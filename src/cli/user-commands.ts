/**
 * Bootstrapping people the HTTP API cannot create: the first admin, and
 * promotions (a vendor, an auditor). Both are events whose actor is the
 * operator running the CLI.
 */
import type { Command } from 'commander'

import { ROLES, type Role } from '../commands/users/events.ts'
import { readSecretInput } from './read-secret-input.ts'
import { operatorContext, print, withRuntime } from './with-runtime.ts'

interface AdminOptions {
  email: string
  username: string
  firstName: string
  lastName: string
}

export function registerUserCommands (program: Command) {
  const users = program.command('users').description('bootstrap accounts')

  users.command('create-admin')
    .description('create an admin; the password is read from standard input')
    .requiredOption('--email <email>')
    .requiredOption('--username <username>')
    .option('--first-name <name>', 'first name', 'Admin')
    .option('--last-name <name>', 'last name', 'Operator')
    // A password typed as `--password=…` by mistake is refused without
    // being repeated into a terminal's scrollback or a CI log.
    .configureOutput({
      outputError: (text, write) => write(hideOptionValues(text))
    })
    .action(async (options: AdminOptions) => {
      const password = await readSecretInput('Password for the new admin: ')
      const { registerUser } =
        await import('../commands/users/register-user.ts')
      await withRuntime(async ({ services }) => {
        const result = await registerUser(services, operatorContext(), {
          email: options.email,
          username: options.username,
          password,
          firstName: options.firstName,
          lastName: options.lastName,
          // The operator accepts the privacy policy for a staff account.
          gdprConsent: true
        }, 'admin')
        print(`admin ${result.userId} created`)
      })
    })

  users.command('set-role <email> <role>')
    .description(`give a user one of the roles: ${ROLES.join(', ')}`)
    .action(async (email: string, role: string) => {
      if (!ROLES.includes(role as Role)) {
        throw new Error(`role must be one of ${ROLES.join(', ')}`)
      }
      const [{ changeRole }, { findUserId, lookupHash }] = await Promise.all([
        import('../commands/users/change-role.ts'),
        import('../commands/users/user-lookup.ts')
      ])
      await withRuntime(async ({ services, sessions }) => {
        const userId = await findUserId(services.db, 'email',
          lookupHash(services.blindIndexKey, 'email', email))
        if (userId === undefined) throw new Error('no user has that email')

        const result = await changeRole(services, operatorContext(), userId,
          role as Role)
        if (result.changed) await sessions.closeAll(userId)
        print(result.changed
          ? `user ${userId} is now ${result.role}`
          : `user ${userId} already was ${result.role}`)
      })
    })
}

function hideOptionValues (text: string) {
  return text.replace(/'(--?[^'=\s]+)=[^']*'/g, '\'$1=…\'')
}
