import { useLiveQuery } from 'dexie-react-hooks'
import { useEffect } from 'react'
import { countUnhandledUrgent } from '../../db/queue-query'
import { useServices } from '../../services'

/** Keeps the tray badge (and the tab title) at the size of the Urgent view (open or watched). */
export function useUnhandledCount(): number | undefined {
  const { db, client } = useServices()
  const count = useLiveQuery(() => countUnhandledUrgent(db), [db])

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
