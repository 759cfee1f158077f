import { useLiveQuery } from 'dexie-react-hooks'
import { useEffect, useSyncExternalStore } from 'react'
import { countUnhandledUrgent } from '../../db/queue-query'
import { useServices } from '../../services'
import { firstRows } from '../queue/first-rows'
import { useMirrorCounts } from '../queue/use-mirror-counts'

/**
 * Keeps the tray badge (and the tab title) at the size of the Urgent view (open or watched). At
 * start the count waits for the queue's first rows: it walks the whole Urgent index, and IndexedDB
 * would answer the first window only after it (first-rows.ts).
 */
export function useUnhandledCount(): number | undefined {
  const { db, client } = useServices()
  const settled = useSyncExternalStore(firstRows.subscribe, firstRows.settled)
  const stored = useLiveQuery(() => (settled ? countUnhandledUrgent(db) : undefined), [db, settled])
  // Mentions just delivered are in no index until spread: counted in the states mirror meanwhile.
  const inMemory = useMirrorCounts(stored)?.urgent
  const count = inMemory ?? stored

  useEffect(() => {
    if (count === undefined) return
    document.title = count > 0 ? `(${count}) Earshot` : 'Earshot'
    const send = () => void client.call('alerts:setUnhandled', { count })
    send()
    // A restarted host has forgotten the count.
    return client.connection.subscribe((state) => {
      if (state === 'connected') send()
    })
  }, [client, count])

  return count
}
