/**
 * `cloudretail load <dir>`: replays the DummyJSON data set through the HTTP
 * API (of a server started here, or of --url), prints what happened, and
 * exits 1 when any check fails: an answer to an order that the loader's
 * stock ledger did not expect, or read models that disagree with what was
 * sent.
 */
import type { Command } from 'commander'

import {
  DEFAULT_CONCURRENCY,
  parseConcurrency
} from '../loader/load-concurrency.ts'
import { print } from './with-runtime.ts'

interface LoadCommandOptions {
  url?: string
  runId?: string
  concurrency: string
  progress: boolean
}

export function registerLoadCommand (program: Command) {
  program.command('load <dir>')
    .description('replay a DummyJSON folder (products, users, carts) ' +
      'through the HTTP API, then check the read models')
    .option('--url <server>', 'a running server (admin credentials from ' +
      'CLOUDRETAIL_ADMIN_EMAIL and CLOUDRETAIL_ADMIN_PASSWORD); without it ' +
      'a server starts in this process')
    .option('--run-id <id>', 'tag for every identity created ' +
      '(default: 6 random lower-case letters and digits)')
    .option('--concurrency <n>', 'registrations and sign-ins at once',
      String(DEFAULT_CONCURRENCY))
    .option('--no-progress', 'no progress bars or lines')
    .action(async (dir: string, options: LoadCommandOptions) => {
      const [{ formatChecks, formatSummary }, { runLoad }] = await Promise.all([
        import('../loader/load-summary.ts'),
        import('../loader/run-load.ts')
      ])
      const summary = await runLoad({
        dir,
        url: options.url,
        runId: options.runId,
        concurrency: parseConcurrency(options.concurrency),
        progress: options.progress ? 'auto' : 'off'
      })
      for (const line of formatSummary(summary)) print(line)
      for (const line of formatChecks(summary.checks)) print(line)
      if (summary.checks.failed > 0) process.exitCode = 1
    })
}
