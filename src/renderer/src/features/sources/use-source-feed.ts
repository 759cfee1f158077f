import { useEffect } from 'react'
import { useServices } from '../../services'

/** Keeps the store's source list fresh: one list on start and after a reconnect, then events. */
export function useSourceFeed(): void {
  const { client, store } = useServices()
  useEffect(() => {
    let live = true
    const list = async () => {
      const result = await client.call('sources:list', {})
      if (live && result.ok) store.getState().setSources(result.value)
    }
    const offChanged = client.on('sources:changed', (sources) =>
      store.getState().setSources(sources),
    )
    const offConnection = client.connection.subscribe((state) => {
      if (state === 'connected') void list()
    })
    void list()
    return () => {
      live = false
      offChanged()
      offConnection()
    }
  }, [client, store])
}
