import { useCallback, useEffect, useState } from 'react'
import type { Result } from '../../../../shared/result'
import { routingSettingsSchema, type RoutingSettings } from '../../../../shared/routing'
import { DEFAULT_DEPARTMENTS } from '../../db/actions'
import { useServices } from '../../services'
import { selectRouting } from '../../store/routing-slice'
import { useAppStore } from '../../store/use-app-store'

/**
 * Main's routing rules and departments, kept in the store: asked for once when first needed and
 * again after a reconnect. `save` replaces both and answers main's refusal in words, or null.
 */
export function useRouting() {
  const { client, store } = useServices()
  const routing = useAppStore(selectRouting)
  const [loadError, setLoadError] = useState<string | null>(null)

  /** Applies main's answer: the settings into the store, or what went wrong. */
  const apply = useCallback(
    (result: Result<unknown>) => {
      if (!result.ok) return setLoadError(result.error.message)
      const parsed = routingSettingsSchema.safeParse(result.value)
      if (!parsed.success) {
        return setLoadError('Earshot answered with routing settings it cannot read')
      }
      setLoadError(null)
      store.getState().setRouting(parsed.data)
    },
    [store],
  )

  useEffect(() => {
    let live = true
    const read = () =>
      client.call('routing:get', {}).then((result) => {
        if (live) apply(result)
      })
    if (store.getState().routing === null) void read()
    const off = client.connection.subscribe((state) => {
      if (state === 'connected') void read()
    })
    return () => {
      live = false
      off()
    }
  }, [client, store, apply])

  const retry = useCallback(
    () => client.call('routing:get', {}).then((result) => apply(result)),
    [client, apply],
  )

  const save = useCallback(
    async (next: RoutingSettings): Promise<string | null> => {
      const result = await client.call('routing:save', next)
      if (!result.ok) return result.error.message
      store.getState().setRouting(result.value)
      return null
    },
    [client, store],
  )

  return { routing, loadError, retry, save }
}

/**
 * The department names the responder configured on the Routing screen, for pickers and filters;
 * the five defaults until main answers.
 */
export function useDepartmentNames(): readonly string[] {
  const { routing } = useRouting()
  return routing?.departments.map((department) => department.name) ?? DEFAULT_DEPARTMENTS
}
