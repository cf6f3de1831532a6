/**
 * Opens the engines for one CLI command and closes them afterwards, whatever
 * happens. The actor recorded for the command's events is the operator.
 */
import { userInfo } from 'node:os'

import type { CommandContext } from '../commands/command-context.ts'
import type { Runtime } from '../runtime/open-runtime.ts'

export async function withRuntime<T> (work: (runtime: Runtime) => Promise<T>) {
  // Loaded when a command runs, not when the CLI starts: `--help` and a
  // mistyped argument need none of the engines (or seconds of imports).
  const [{ loadConfig }, { openRuntime }] = await Promise.all([
    import('../config/load-config.ts'),
    import('../runtime/open-runtime.ts')
  ])
  const runtime = await openRuntime(loadConfig())
  try {
    return await work(runtime)
  } finally {
    await runtime.close()
  }
}

export function operatorContext (): CommandContext {
  const operator = safeUserName()

  return {
    actor: { kind: 'cli', id: operator },
    correlationId: `cli-${Date.now().toString(36)}-${process.pid}`,
    client: {}
  }
}

function safeUserName () {
  try {
    return userInfo().username
  } catch {
    return `uid-${process.getuid?.() ?? 'unknown'}`
  }
}

export function print (line: string) {
  process.stdout.write(`${line}\n`)
}
