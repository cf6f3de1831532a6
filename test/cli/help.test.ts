/**
 * `--help` works at every level of the command line and runs nothing: no
 * data folder is created. An unknown command is refused in one clear line
 * plus the usage, never with a stack trace.
 */
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import t from 'tap'

import { runConcurrently } from '../../src/loader/run-concurrently.ts'
import { runCli, STACK_TRACE_LINE, type CliResult } from '../helpers/cli.ts'

interface HelpCase {
  readonly command: readonly string[]
  /** What this level's help must mention: its subcommands or options. */
  readonly mentions: readonly string[]
}

const HELP_CASES: readonly HelpCase[] = [
  { command: [], mentions: ['serve', 'migrate', 'projections', 'users',
    'audit', 'keys', 'load'] },
  { command: ['serve'], mentions: ['--no-projector'] },
  { command: ['migrate'], mentions: ['schema'] },
  { command: ['projections'], mentions: ['status', 'rebuild', 'run'] },
  { command: ['projections', 'status'], mentions: ['--json'] },
  { command: ['projections', 'rebuild'], mentions: ['<name>'] },
  { command: ['projections', 'run'], mentions: ['projector'] },
  { command: ['users'], mentions: ['create-admin', 'set-role'] },
  { command: ['users', 'create-admin'], mentions: ['--email', '--username',
    'standard input'] },
  { command: ['users', 'set-role'], mentions: ['<email>', '<role>',
    'vendor', 'auditor'] },
  { command: ['audit'], mentions: ['verify'] },
  { command: ['audit', 'verify'], mentions: ['--stream'] },
  { command: ['keys'], mentions: ['rotate-kek', 'finish-erasures',
    'expire-anonymous'] },
  { command: ['keys', 'rotate-kek'], mentions: ['<newKeyFile>'] },
  { command: ['keys', 'finish-erasures'], mentions: ['erased'] },
  { command: ['keys', 'expire-anonymous'], mentions: ['90-day'] },
  { command: ['load'], mentions: ['<dir>', '--url'] }
]

const UNKNOWN_CASES = [['bogus'], ['projections', 'bogus']]

// Each run loads the whole CLI (seconds of CPU); two at once keep
// the file short without starving the rest of the suite.
const CONCURRENT_RUNS = 2

// Pointed at a folder that does not exist: any command that opened the
// database or generated secrets would create it.
const parent = await mkdtemp(join(tmpdir(), 'cr-cli-help-'))
t.teardown(() => rm(parent, { recursive: true, force: true }))
const dataDir = join(parent, 'never-created')
const env = { DATA_DIR: dataDir }

const [helps, unknowns] = await Promise.all([
  runConcurrently(HELP_CASES, CONCURRENT_RUNS, ({ command }) =>
    runCli([...command, '--help'], env)),
  runConcurrently(UNKNOWN_CASES, 1, (command) => runCli(command, env))
])

HELP_CASES.forEach(({ command, mentions }, index) => {
  const name = ['cloudretail', ...command].join(' ')
  t.test(`${name} --help prints its usage and exits 0`, async (t) => {
    const result = helps[index] as CliResult

    t.equal(result.code, 0, result.stderr)
    t.equal(result.stderr, '')
    t.match(result.stdout, new RegExp(`^Usage: ${escape(name)} `))
    for (const word of mentions) t.match(result.stdout, word)
  })
})

UNKNOWN_CASES.forEach((command, index) => {
  t.test(`cloudretail ${command.join(' ')} is refused without a stack trace`,
    async (t) => {
      const result = unknowns[index] as CliResult

      t.equal(result.code, 1)
      t.match(result.stderr,
        new RegExp(`^error: unknown command '${command.at(-1)}'\n`))
      t.match(result.stderr, 'Usage: cloudretail')
      t.notMatch(result.stderr, STACK_TRACE_LINE)
      t.equal(result.stdout, '')
    })
})

t.test('neither help nor a refusal touches the data folder', async (t) => {
  t.notOk(existsSync(dataDir))
})

function escape (text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
