/**
 * Key management for operators: rotate the key-encryption key, finish
 * erasures a crash interrupted, and apply the retention period to the daily
 * keys that protect anonymous visitors' IP addresses.
 */
import { readFileSync, writeFileSync } from 'node:fs'

import type { Command } from 'commander'

import { print, withRuntime } from './with-runtime.ts'

export function registerKeyCommands (program: Command) {
  const keys = program.command('keys').description('subject keys (GDPR)')

  keys.command('rotate-kek <newKeyFile>')
    .description('re-wrap every subject key under a new key-encryption key ' +
      '(base64, 32 bytes); on the embedded default it replaces the generated ' +
      'key file, otherwise configure it as KEY_ENCRYPTION_KEY')
    .action(async (newKeyFile: string) => {
      const newKek = Buffer.from(readFileSync(newKeyFile, 'utf8').trim(),
        'base64')
      if (newKek.length !== 32) {
        throw new Error('the new key must be 32 bytes, base64 encoded')
      }
      const { generatedSecretFile, readConfigured } =
        await import('../config/secrets.ts')
      await withRuntime(async ({ config, services }) => {
        print(`re-wrapped ${await services.keys.rewrapAll(newKek)} keys`)
        if (readConfigured('KEY_ENCRYPTION_KEY', process.env) !== undefined) {
          print('now configure KEY_ENCRYPTION_KEY (or _FILE) as the new key: ' +
            'the old one opens no stored key any more, and the server ' +
            'refuses to start with it')
          return
        }
        // The embedded default generated the old key: replace it there,
        // or the next start would come up with a key that opens nothing.
        const file = generatedSecretFile(config.dataDir, 'KEY_ENCRYPTION_KEY')
        writeFileSync(file, newKek.toString('base64'), { mode: 0o600 })
        print(`replaced the generated key in ${file}`)
      })
    })

  keys.command('finish-erasures')
    .description('shred the key of every erased user whose key remains')
    .action(async () => {
      const { finishErasures } =
        await import('../commands/users/finish-erasures.ts')
      await withRuntime(async ({ services }) => {
        const finished = await finishErasures(services)
        print(`${finished.length} erasures finished`)
      })
    })

  keys.command('expire-anonymous')
    .description('shred daily anonymous keys past the 90-day retention')
    .action(async () => {
      const { shredExpiredAnonymousKeys } =
        await import('../crypto/anonymous-subject.ts')
      await withRuntime(async ({ services }) => {
        const shredded = await shredExpiredAnonymousKeys(services.keys,
          services.now())
        print(`${shredded.length} anonymous keys shredded`)
      })
    })
}
