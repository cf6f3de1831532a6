/**
 * How many registrations and sign-ins the loader keeps in flight. Its own
 * module so the CLI can name the default without loading the loader.
 */
export const DEFAULT_CONCURRENCY = 4
export const MAX_CONCURRENCY = 64

/** The `--concurrency` option's text as a number, or an error naming it. */
export function parseConcurrency (value: string) {
  const concurrency = Number(value)
  if (!Number.isInteger(concurrency) || concurrency < 1 ||
    concurrency > MAX_CONCURRENCY) {
    throw new Error(`--concurrency must be an integer from 1 to ${MAX_CONCURRENCY}`)
  }

  return concurrency
}
