/** Follows nextCursor from the first page to the last, for pagination
 * tests; fails rather than loop forever. */
export async function collectPages<Item> (
  fetchPage: (after: string | undefined) =>
    Promise<{ items: Item[], nextCursor: string | null }>
): Promise<Item[]> {
  const items: Item[] = []
  let after: string | undefined
  for (let pages = 0; pages < 1000; pages++) {
    const page = await fetchPage(after)
    items.push(...page.items)
    if (page.nextCursor === null) return items
    after = page.nextCursor
  }
  throw new Error('pagination did not end within 1000 pages')
}
