/**
 * Every load has a run id, and every identity it creates carries it, so
 * reruns against the same database never collide and the checks can tell
 * this run's data from earlier ones.
 */
import { randomInt } from 'node:crypto'

import { LoaderError } from './loader-error.ts'

const RUN_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'
const RUN_ID_LENGTH = 6
// Short enough that a tagged username stays within the API's 40 characters.
const RUN_ID_PATTERN = /^[a-z0-9]{1,12}$/

export function createRunId () {
  let id = ''
  for (let i = 0; i < RUN_ID_LENGTH; i++) {
    id += RUN_ID_ALPHABET[randomInt(RUN_ID_ALPHABET.length)]
  }

  return id
}

export function assertRunId (runId: string) {
  if (!RUN_ID_PATTERN.test(runId)) {
    throw new LoaderError('CR_ERR_LOADER_RUN_ID',
      'a run id is 1 to 12 lower-case letters or digits')
  }
}

/** Plus-addressing: the mailbox stays the same, the address is new. */
export function tagEmail (email: string, runId: string) {
  const at = email.lastIndexOf('@')
  if (at <= 0) {
    throw new LoaderError('CR_ERR_LOADER_DATASET', `not an email: ${email}`)
  }

  return `${email.slice(0, at)}+${runId}${email.slice(at)}`
}

export function tagUsername (username: string, runId: string) {
  return `${username}_${runId}`
}

export function tagSku (sku: string, runId: string) {
  return `${sku}-${runId.toUpperCase()}`
}

/** Brands have no contact data: each gets a synthetic vendor mailbox. */
export function vendorEmail (brandSlug: string, runId: string) {
  return `${brandSlug}+${runId}@vendors.example`
}
