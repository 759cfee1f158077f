import type { Table } from 'dexie'

/**
 * Visits every row of a table keyed by a string `id`, in key order, `size` rows per read: one bulk
 * read a page (far quicker than a cursor's event per row), and never the whole table in memory.
 * Each page is visited before the next is read, so `visit` may write to the same transaction.
 */
export async function forEachPage<Row extends { id: string }, Insert>(
  table: Table<Row, string, Insert>,
  size: number,
  visit: (page: Row[]) => unknown,
): Promise<void> {
  let last: string | null = null
  for (;;) {
    const page: Row[] = await (
      last === null ? table.orderBy(':id') : table.where(':id').above(last)
    )
      .limit(size)
      .toArray()
    if (page.length === 0) return
    await visit(page)
    if (page.length < size) return
    last = page.at(-1)!.id
  }
}
