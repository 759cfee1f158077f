import { useCallback, useEffect, useState } from 'react'
import type { CallOutput } from '../../../../shared/contract'
import type { BrandProfile } from '../../../../shared/domain'
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

/** The brand profile from main; null means first run. Re-read after a reconnect. */
export function useProfile() {
  const { client } = useServices()
  const [load, setLoad] = useState<ProfileLoad>({ kind: 'loading' })

  useEffect(() => {
    let live = true
    const read = () =>
      client.call('profile:get', {}).then((result) => {
        if (live) setLoad(toLoad(result))
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
    () => client.call('profile:get', {}).then((result) => setLoad(toLoad(result))),
    [client],
  )
  const saved = useCallback((profile: BrandProfile) => setLoad({ kind: 'ready', profile }), [])
  return { load, retry, saved }
}
