/**
 * Progress of each phase: a cli-progress bar per phase on a terminal, and
 * plain lines every few seconds otherwise, so CI logs stay readable (no
 * carriage returns, no escape codes).
 */
import cliProgress from 'cli-progress'

export interface PhaseProgress {
  advance(by?: number): void
  finish(): void
}

export interface Progress {
  startPhase(name: string, total: number): PhaseProgress
}

/** 'auto' picks bars on a TTY and lines elsewhere. */
export type ProgressMode = 'auto' | 'bar' | 'lines' | 'off'

const LINE_INTERVAL_MS = 5000

/** `now` paces the plain lines (milliseconds, as Date.now). */
export function createProgress (
  mode: ProgressMode,
  stream: NodeJS.WriteStream = process.stderr,
  now: () => number = Date.now
): Progress {
  const chosen = mode === 'auto' ? (stream.isTTY ? 'bar' : 'lines') : mode
  if (chosen === 'off') return { startPhase: () => silentPhase }
  if (chosen === 'bar') {
    return { startPhase: (name, total) => startBar(stream, name, total) }
  }

  return { startPhase: (name, total) => startLines(stream, now, name, total) }
}

const silentPhase: PhaseProgress = { advance () {}, finish () {} }

function startBar (
  stream: NodeJS.WriteStream,
  name: string,
  total: number
): PhaseProgress {
  const bar = new cliProgress.SingleBar({
    stream,
    format: `${name.padEnd(9)} [{bar}] {value}/{total} {percentage}% ` +
      '| {duration_formatted}',
    hideCursor: true
  }, cliProgress.Presets.shades_classic)
  bar.start(total, 0)

  return {
    advance: (by = 1) => bar.increment(by),
    finish: () => bar.stop()
  }
}

function startLines (
  stream: NodeJS.WriteStream,
  now: () => number,
  name: string,
  total: number
): PhaseProgress {
  const started = now()
  let done = 0
  let lastLine = started
  const write = (line: string) => stream.write(`${line}\n`)
  write(`${name}: ${total} to do`)

  return {
    advance (by = 1) {
      done += by
      const at = now()
      if (at - lastLine < LINE_INTERVAL_MS) return
      lastLine = at
      write(`${name}: ${done}/${total} (${percent(done, total)}%)`)
    },
    finish () {
      const seconds = ((now() - started) / 1000).toFixed(1)
      write(`${name}: ${done}/${total} done in ${seconds} s`)
    }
  }
}

function percent (done: number, total: number) {
  return total === 0 ? 100 : Math.floor(done * 100 / total)
}
