import { useCallback, useEffect, useState } from 'react'
import type { NotificationPolicy } from '../../../../shared/alert-policy'
import { describeError } from '../../../../shared/result'
import { useServices } from '../../services'

export type PolicyLoad =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; policy: NotificationPolicy }

/** The notification policy as main holds it; `save` answers null or what went wrong. */
export function useNotificationPolicy(): {
  load: PolicyLoad
  retry: () => void
  save: (policy: NotificationPolicy) => Promise<string | null>
} {
  const { client } = useServices()
  const [load, setLoad] = useState<PolicyLoad>({ kind: 'loading' })
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    let live = true
    client
      .call('alerts:getPolicy', {})
      .then((result) => {
        if (!live) return
        setLoad(
          result.ok
            ? { kind: 'ready', policy: result.value }
            : { kind: 'error', message: result.error.message },
        )
      })
      .catch((cause: unknown) => live && setLoad({ kind: 'error', message: describeError(cause) }))
    return () => {
      live = false
    }
  }, [client, attempt])

  const save = useCallback(
    async (policy: NotificationPolicy) => {
      try {
        const result = await client.call('alerts:savePolicy', { policy })
        if (!result.ok) return result.error.message
        setLoad({ kind: 'ready', policy: result.value })
        return null
      } catch (cause) {
        return describeError(cause)
      }
    },
    [client],
  )

  const retry = useCallback(() => {
    setLoad({ kind: 'loading' })
    setAttempt((n) => n + 1)
  }, [])

  return { load, retry, save }
}
