import { useState } from 'react'
import { useServices } from '../../services'

/**
 * Asks the host to open a link in the system browser; the page itself never navigates. The web
 * host has no system browser to hand it to: it checks the link and the page opens a new tab.
 */
export function useOpenExternal() {
  const { client } = useServices()
  const [error, setError] = useState<string | null>(null)
  const open = async (url: string) => {
    setError(null)
    const result = await client.call('shell:openExternal', { url })
    if (!result.ok) setError(`Could not open the link: ${result.error.message}`)
    else if (result.value.openedBy === 'page') window.open(url, '_blank', 'noopener,noreferrer')
  }
  return { open, error }
}
