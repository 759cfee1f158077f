import { useEffect, useState } from 'react'
import { useServices } from '../services'

/**
 * What main found wrong in its settings files at start (a hand-broken file kept aside as a
 * backup, say), so the responder learns why their settings look reset. Dismissed per session.
 */
export function useConfigProblems(): { problems: string[]; dismiss: (problem: string) => void } {
  const { client } = useServices()
  const [problems, setProblems] = useState<string[]>([])
  useEffect(() => {
    let live = true
    void client.call('app:info', {}).then((result) => {
      if (live && result.ok) setProblems(result.value.configProblems)
    })
    return () => {
      live = false
    }
  }, [client])
  const dismiss = (problem: string) => setProblems((list) => list.filter((p) => p !== problem))
  return { problems, dismiss }
}
