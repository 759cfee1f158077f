import { useLiveQuery } from 'dexie-react-hooks'
import {
  loadQueueCounts,
  loadQueueWindow,
  type QueueCounts,
  type QueueWindow,
} from '../../db/queue-query'
import { useServices } from '../../services'
import type { QueueFilter, QueueSort } from '../../store/view-slice'

/** Live counts per tab; undefined while the first read runs. */
export function useQueueCounts(): QueueCounts | undefined {
  const { db } = useServices()
  return useLiveQuery(() => loadQueueCounts(db), [db])
}

/**
 * The rows of one window of a view, live. While a new window loads the previous one is kept, so
 * rows both windows share never blink.
 */
export function useQueueWindow(
  filter: QueueFilter,
  sort: QueueSort,
  start: number,
  size: number,
): QueueWindow | undefined {
  const { db } = useServices()
  const loaded = useLiveQuery(
    async () => ({
      view: `${filter}/${sort}`,
      ...(await loadQueueWindow(db, filter, sort, start, size)),
    }),
    [db, filter, sort, start, size],
  )
  // A window of the previous view must not show under the new tab.
  return loaded?.view === `${filter}/${sort}` ? loaded : undefined
}
