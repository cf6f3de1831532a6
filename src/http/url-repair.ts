/**
 * Fastify's router answers a path it cannot percent-decode (`/%E0%A4%A`)
 * or an over-long path parameter itself, before any hook runs: a bare JSON
 * body without the security headers, correlation id or problem details.
 * Escaping the stray `%` signs instead sends such a path through the normal
 * lifecycle, where the parameter fails its schema (400) or matches no route
 * (404) like any other bad input.
 */

/** The URL with its path's percent signs escaped if the path does not
 * decode; unchanged otherwise. */
export function repairUrl (url: string): string {
  const mark = url.indexOf('?')
  const path = mark === -1 ? url : url.slice(0, mark)
  if (decodes(path)) return url

  return path.replaceAll('%', '%25') + (mark === -1 ? '' : url.slice(mark))
}

/** Longer than any URL Node accepts, so the route's schema decides. */
export const MAX_PARAM_LENGTH = 16 * 1024

function decodes (path: string) {
  try {
    decodeURIComponent(path)

    return true
  } catch {
    return false
  }
}
