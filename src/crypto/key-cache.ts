/**
 * A small in-process cache of unwrapped subject keys: bounded in entries,
 * each entry living at most `ttlMs`, least recently used evicted first.
 * Keys leave it zero-filled, and readers get copies, so an evicted key is not
 * left readable in a buffer someone still holds.
 */
export interface KeyCacheOptions {
  readonly maxEntries: number
  readonly ttlMs: number
  readonly now: () => number
}

interface Entry {
  readonly key: Buffer
  readonly expiresAt: number
}

export class KeyCache {
  readonly #entries = new Map<string, Entry>()
  readonly #options: KeyCacheOptions

  constructor (options: KeyCacheOptions) {
    this.#options = options
  }

  get size () {
    return this.#entries.size
  }

  get (subject: string): Buffer | undefined {
    const entry = this.#entries.get(subject)
    if (entry === undefined) {
      return undefined
    }

    if (entry.expiresAt <= this.#options.now()) {
      this.delete(subject)

      return undefined
    }

    // Re-inserting moves the entry to the young end of the Map's order.
    this.#entries.delete(subject)
    this.#entries.set(subject, entry)

    return Buffer.from(entry.key)
  }

  set (subject: string, key: Buffer) {
    this.delete(subject)
    this.#entries.set(subject, {
      key: Buffer.from(key),
      expiresAt: this.#options.now() + this.#options.ttlMs
    })
    this.#evictOverflow()
  }

  delete (subject: string) {
    this.#entries.get(subject)?.key.fill(0)
    this.#entries.delete(subject)
  }

  clear () {
    for (const subject of [...this.#entries.keys()]) {
      this.delete(subject)
    }
  }

  #evictOverflow () {
    for (const subject of this.#entries.keys()) {
      if (this.#entries.size <= this.#options.maxEntries) {
        return
      }

      this.delete(subject)
    }
  }
}
