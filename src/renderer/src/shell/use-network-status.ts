import { useEffect, useState } from 'react'
import { networkStatusSchema, type NetworkStatus } from '../../../shared/contract'
import { useServices } from '../services'

const online: NetworkStatus = { offline: false, since: null }

/**
 * Whether main lost the network (no source's server answers), so polling waits: asked on start and
 * after every reconnect, then kept current by `network:changed`.
 */
export function useNetworkStatus(): NetworkStatus {
  const { client } = useServices()
  const [status, setStatus] = useState<NetworkStatus>(online)
  useEffect(() => {
    let live = true
    const ask = async () => {
      const result = await client.call('network:status', {})
      // An older main knows no such call; read anything unexpected as online.
      const parsed = result.ok ? networkStatusSchema.safeParse(result.value) : null
      if (live) setStatus(parsed?.success ? parsed.data : online)
    }
    const offChanged = client.on('network:changed', (next) => setStatus(next))
    const offConnection = client.connection.subscribe((state) => {
      if (state === 'connected') void ask()
    })
    void ask()
    return () => {
      live = false
      offChanged()
      offConnection()
    }
  }, [client])
  return status
}
