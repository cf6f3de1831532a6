/** Why a load stopped: a missing setting, unreadable data, an API refusal
 * the replay did not expect. Each carries a CR_ERR_LOADER_* code. */
export class LoaderError extends Error {
  constructor (readonly code: string, message: string) {
    super(message)
    this.name = 'LoaderError'
  }
}
