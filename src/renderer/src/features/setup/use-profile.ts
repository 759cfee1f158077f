import { useCallback, useEffect, useState } from 'react'
import type { CallOutput } from '../../../../shared/contract'
import { brandProfileSchema, type BrandProfile } from '../../../../shared/domain'
import type { Result } from '../../../../shared/result'
import { useServices } from '../../services'

export type ProfileLoad =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; profile: BrandProfile | null }

const toLoad = (result: Result<CallOutput<'profile:get'>>): ProfileLoad =>
  result.ok
    ? { kind: 'ready', profile: result.value }
    : { kind: 'error', message: result.error.message }

const CACHE_KEY = 'earshot:profile'

/**
 * The profile main last gave this page, kept so the queue paints without waiting for the host's
 * round trip; main's answer replaces it a moment later. It holds the brand's public names only.
 */
export function cachedProfile(storage: Pick<Storage, 'getItem'> | undefined): BrandProfile | null {
  try {
    const raw = storage?.getItem(CACHE_KEY)
    if (!raw) return null
    const parsed = brandProfileSchema.safeParse(JSON.parse(raw))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

function remember(load: ProfileLoad): void {
  if (load.kind !== 'ready') return
  try {
    if (load.profile) globalThis.localStorage?.setItem(CACHE_KEY, JSON.stringify(load.profile))
    else globalThis.localStorage?.removeItem(CACHE_KEY)
  } catch {
    // Storage full or disabled: the next start waits for main, as without a cache.
  }
}

/** The brand profile from main; null means first run. Re-read after a reconnect. */
export function useProfile() {
  const { client } = useServices()
  const [load, setLoad] = useState<ProfileLoad>(() => {
    const cached = cachedProfile(globalThis.localStorage)
    return cached ? { kind: 'ready', profile: cached } : { kind: 'loading' }
  })

  useEffect(() => {
    let live = true
    const read = () =>
      client.call('profile:get', {}).then((result) => {
        const next = toLoad(result)
        remember(next)
        if (live)
          setLoad((current) => (next.kind === 'error' && current.kind === 'ready' ? current : next))
      })
    const off = client.connection.subscribe((state) => {
      if (state === 'connected') void read()
    })
    void read()
    return () => {
      live = false
      off()
    }
  }, [client])

  const retry = useCallback(
    () =>
      client.call('profile:get', {}).then((result) => {
        const next = toLoad(result)
        remember(next)
        setLoad(next)
      }),
    [client],
  )
  const saved = useCallback((profile: BrandProfile) => {
    const next: ProfileLoad = { kind: 'ready', profile }
    remember(next)
    setLoad(next)
  }, [])
  return { load, retry, saved }
}
