/**
 * JSON with object keys sorted, so one value always gives the same text:
 * PostgreSQL's jsonb, for one, hands keys back in its own order. Values
 * follow JSON.stringify otherwise (undefined members dropped, toJSON used).
 */
export function toCanonicalJson (value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null'
}

function sortKeys (value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value

  const json = (value as { toJSON?: () => unknown }).toJSON
  if (typeof json === 'function') return sortKeys(json.call(value))
  if (Array.isArray(value)) return value.map(sortKeys)

  const sorted: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) {
    sorted[key] = sortKeys((value as Record<string, unknown>)[key])
  }

  return sorted
}
