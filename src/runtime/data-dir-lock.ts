/**
 * PGlite is one process's database: two processes opening the same data
 * folder would corrupt it. The first one writes its pid into a lock file;
 * another process finding a live pid there stops with a clear message.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export class DataDirBusyError extends Error {
  readonly code = 'CR_ERR_RUNTIME_DATA_DIR_BUSY'
}

export function claimDataDir (dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const lockFile = join(dataDir, 'cloudretail.pid')
  const holder = readHolder(lockFile)
  if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
    throw new DataDirBusyError(
      `the embedded database in ${dataDir} is in use by process ${holder}; ` +
      'stop it first, or point both at a PostgreSQL server (DATABASE_URL)'
    )
  }
  writeFileSync(lockFile, String(process.pid))

  return () => {
    if (readHolder(lockFile) === process.pid) rmSync(lockFile, { force: true })
  }
}

function readHolder (lockFile: string) {
  try {
    const pid = Number(readFileSync(lockFile, 'utf8').trim())

    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

function isAlive (pid: number) {
  try {
    process.kill(pid, 0)

    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
