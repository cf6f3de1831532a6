/**
 * Writers to one stream inside this process take turns. Optimistic
 * concurrency alone stays correct, but fifty orders racing for one product
 * would mostly redo their work; queueing them here leaves conflicts to the
 * rare case of two replicas writing at once.
 */
const tails = new Map<string, Promise<unknown>>()

export async function withStreamLock<T> (
  stream: string,
  work: () => Promise<T>
): Promise<T> {
  const previous = tails.get(stream) ?? Promise.resolve()
  const current = previous.then(work, work)
  const settled = current.then(() => undefined, () => undefined)
  tails.set(stream, settled)
  try {
    return await current
  } finally {
    if (tails.get(stream) === settled) tails.delete(stream)
  }
}
