/**
 * For auditors: verify the hash chain of every stream (or one), using only
 * the stored events. No key is needed, so erased people's streams verify
 * too: crypto-shredding changes no stored byte.
 */
import type { Command } from 'commander'

import type { EventStore } from '../eventstore/event-store.ts'
import { print, withRuntime } from './with-runtime.ts'

const PAGE = 1000

export function registerAuditCommands (program: Command) {
  const audit = program.command('audit').description('audit the event history')

  audit.command('verify')
    .description('check every stream\'s hash chain; exits 1 on any break')
    .option('--stream <name>', 'verify one stream only')
    .action(async (options: { stream?: string }) => {
      const { verifyStream } = await import('../eventstore/hash-chain.ts')
      await withRuntime(async ({ store }) => {
        const streams = options.stream === undefined
          ? await listStreams(store)
          : [options.stream]
        let events = 0
        let broken = 0
        for (const stream of streams) {
          const result = await verifyStream(store, stream)
          events += result.events
          if (!result.ok) {
            broken++
            print(`BROKEN ${stream} at revision ${String(result.brokenAt)}: ` +
              `${result.reason ?? 'hash mismatch'}`)
          } else if (result.events === 0) {
            // Only a named stream can be empty here: a typo, or a stream
            // whose rows were all deleted, must not pass as verified.
            broken++
            print(`MISSING ${stream}: no events`)
          }
        }
        print(`${streams.length} streams, ${events} events verified, ` +
          `${broken} broken`)
        if (broken > 0) process.exitCode = 1
      })
    })
}

async function listStreams (store: EventStore) {
  const streams = new Set<string>()
  let after = 0n
  for (;;) {
    const page = await store.readAll({ afterPosition: after, limit: PAGE })
    for (const event of page) streams.add(event.stream)
    if (page.length < PAGE) break
    after = page.at(-1)!.position
  }

  return [...streams].sort()
}
