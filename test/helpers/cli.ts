/**
 * The real command line as a child process, started the way `npx
 * cloudretail` starts it (bin/cloudretail.mjs), over a throw-away target:
 * a fresh data folder on the embedded default, or a scratch PostgreSQL
 * database when TEST_DATABASE_URL is set. Between runs, never during one
 * (PGlite serves one process), the test may open the same target with the
 * server the `serve` command runs.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { loadConfig } from '../../src/config/load-config.ts'
import { startServer, type RunningServer } from '../../src/http/server.ts'
import { openRuntime, type Runtime } from '../../src/runtime/open-runtime.ts'
import { createServerEnv } from './server-env.ts'

interface Teardown { teardown(fn: () => unknown): void }

export interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

export interface CliRunOptions {
  /** Written to standard input, which is then closed. */
  readonly input?: string
}

export interface CliTarget {
  readonly engine: 'pglite' | 'postgres'
  /** The environment every run gets: the target and its secrets. */
  readonly env: Readonly<Record<string, string>>
  run(args: readonly string[], options?: CliRunOptions): Promise<CliResult>
  /** The server `serve` runs, in this process, stopped after `work`. */
  withServer<T>(work: (server: RunningServer) => Promise<T>): Promise<T>
  /** The engines an ops command opens (no projector), closed after. */
  withRuntime<T>(work: (runtime: Runtime) => Promise<T>): Promise<T>
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const ENTRY = join(ROOT, 'bin', 'cloudretail.mjs')
const RUN_TIMEOUT_MS = 120_000

/** Runs `cloudretail <args>` with only the given environment (and PATH,
 * HOME), so nothing of the test runner's leaks in. */
export function runCli (
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  options: CliRunOptions = {}
): Promise<CliResult> {
  const child = spawn(process.execPath, [ENTRY, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? ROOT,
      ...env },
    timeout: RUN_TIMEOUT_MS
  })
  child.stdin.end(options.input ?? '')
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (text) => { stdout += text })
  child.stderr.setEncoding('utf8').on('data', (text) => { stderr += text })

  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** A data folder (removed afterwards), secrets generated for it, and a
 * scratch PostgreSQL database (dropped afterwards) on TEST_DATABASE_URL. */
export async function createCliTarget (t: Teardown): Promise<CliTarget> {
  const target = await createServerEnv(t)
  const env = target.env()

  return {
    engine: target.databaseUrl === undefined ? 'pglite' : 'postgres',
    env,
    run: (args, options) => runCli(args, env, options),
    async withServer (work) {
      const server = await startServer(loadConfig(env))
      try {
        return await work(server)
      } finally {
        await server.stop()
      }
    },
    async withRuntime (work) {
      const runtime = await openRuntime(loadConfig(env))
      try {
        return await work(runtime)
      } finally {
        await runtime.close()
      }
    }
  }
}

/** Lines of a stack trace (`    at …`), which no refusal should print. */
export const STACK_TRACE_LINE = /^\s+at .+[(:]/m
