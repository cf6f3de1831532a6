/**
 * Wakes pollers in this process as soon as an append commits, so a live
 * subscription does not wait out its poll interval. Appends from other
 * processes are still found by polling.
 */
export class AppendSignal {
  #version = 0
  readonly #listeners = new Set<() => void>()

  /** Changes on every notify: a poller compares it to skip a sleep when an
   * append committed while it was reading. */
  get version () {
    return this.#version
  }

  notify () {
    this.#version += 1
    for (const listener of this.#listeners) listener()
  }

  /** Resolves on the next notify, or after `ms` at the latest. */
  wait (ms: number, abort: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer)
        this.#listeners.delete(finish)
        abort.removeEventListener('abort', finish)
        resolve()
      }
      const timer = setTimeout(finish, ms)
      this.#listeners.add(finish)
      abort.addEventListener('abort', finish)
    })
  }
}

const signals = new WeakMap<object, AppendSignal>()

/** One signal per database (or client), shared by every store built on it. */
export function getAppendSignal (owner: object) {
  let signal = signals.get(owner)
  if (signal === undefined) {
    signal = new AppendSignal()
    signals.set(owner, signal)
  }

  return signal
}
