import { useEffect, useState } from 'react'
import type { Template } from '../../../../shared/templates'
import { useServices } from '../../services'

type Loaded =
  | { kind: 'loading' }
  | { kind: 'ready'; templates: Template[] }
  | { kind: 'error'; message: string }

/** The reply templates from main. */
export function useTemplates(): Loaded {
  const { client } = useServices()
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' })
  useEffect(() => {
    let live = true
    void client.call('templates:list', {}).then((result) => {
      if (!live) return
      setLoaded(
        result.ok
          ? { kind: 'ready', templates: result.value }
          : { kind: 'error', message: `Could not load the templates: ${result.error.message}` },
      )
    })
    return () => {
      live = false
    }
  }, [client])
  return loaded
}

/** The brand's name for `{{brand}}`, or null until known. */
export function useBrandName(): string | null {
  const { client } = useServices()
  const [brand, setBrand] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    void client.call('profile:get', {}).then((result) => {
      if (live && result.ok) setBrand(result.value?.brand ?? null)
    })
    return () => {
      live = false
    }
  }, [client])
  return brand
}

/** How long a reply through this source may be, as its platform counts (null: no limit known). */
export function useReplyLimit(sourceId: string, canReply: boolean): number | null {
  const { client } = useServices()
  const [limit, setLimit] = useState<number | null>(null)
  useEffect(() => {
    if (!canReply) return
    let live = true
    void client.call('replies:limit', { id: sourceId }).then((result) => {
      if (live && result.ok) setLimit(result.value.limit)
    })
    return () => {
      live = false
    }
  }, [client, sourceId, canReply])
  return limit
}
