import { useState } from 'react'
import { useServices } from '../../services'

/** Asks the host to open a link in the system browser; the page itself never navigates. */
export function useOpenExternal() {
  const { client } = useServices()
  const [error, setError] = useState<string | null>(null)
  const open = async (url: string) => {
    setError(null)
    const result = await client.call('shell:openExternal', { url })
    if (!result.ok) setError(`Could not open the link: ${result.error.message}`)
  }
  return { open, error }
}
