import { useLiveQuery } from 'dexie-react-hooks'
import { useEffect, useState, useSyncExternalStore } from 'react'
import {
  loadAuthor,
  loadRows,
  loadThread,
  searchHistory,
  type AuthorPage,
  type HistoryResult,
  type HistoryRow,
  type HistorySpec,
} from '../../db/history-query'
import { stateMirrorOf } from '../../db/state-mirror'
import { useServices } from '../../services'
import { readStorage, type StorageInfo } from './storage'

/** What the History screen lists: a search, one author's page, or one thread. */
export type HistoryMode =
  | { kind: 'search' }
  | { kind: 'author'; authorId: string; name: string }
  | { kind: 'thread'; mentionId: string }

/** The value, once it has stopped changing for `ms` (typing is not searched on every key). */
export function useSettled<T>(value: T, ms = 150): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms)
    return () => clearTimeout(timer)
  }, [value, ms])
  return settled
}

/**
 * The ids a search matches, live; undefined while the first read runs. The states come from the
 * in-memory mirror once it has loaded (a few hundred reads fewer per search).
 */
export function useHistorySearch(spec: HistorySpec, enabled: boolean): HistoryResult | undefined {
  const { db } = useServices()
  const mirror = stateMirrorOf(db)
  const version = useSyncExternalStore(mirror.subscribe, mirror.version)
  const key = JSON.stringify(spec)
  useEffect(() => mirror.startSoon(), [mirror])
  const found = useLiveQuery(
    async () => (enabled ? { key, result: await searchHistory(db, spec, mirror) } : null),
    // The spec is compared by value through its key. States read from the mirror are not seen by
    // the live query, so its version re-runs it.
    [db, key, enabled, mirror.ready ? version : -1],
  )
  return found?.key === key ? found.result : undefined
}

export function useAuthorPage(authorId: string | null): AuthorPage | undefined {
  const { db } = useServices()
  const found = useLiveQuery(
    async () => (authorId === null ? null : { authorId, page: await loadAuthor(db, authorId) }),
    [db, authorId],
  )
  return found && found.authorId === authorId ? found.page : undefined
}

export function useThread(mentionId: string | null): string[] | undefined {
  const { db } = useServices()
  const found = useLiveQuery(
    async () =>
      mentionId === null
        ? null
        : { mentionId, ids: (await loadThread(db, mentionId)).map((mention) => mention.id) },
    [db, mentionId],
  )
  return found && found.mentionId === mentionId ? found.ids : undefined
}

/** The rows of one window of the results, live. */
export function useRows(ids: readonly string[]): HistoryRow[] | undefined {
  const { db } = useServices()
  const key = ids.join('\n')
  return useLiveQuery(
    () => loadRows(db, ids),
    // The ids are compared by value through their key.
    [db, key],
  )
}

/** Usage and quota, read now and after each change the caller signals through `nonce`. */
export function useStorageInfo(nonce: number): StorageInfo | null | undefined {
  const [info, setInfo] = useState<StorageInfo | null | undefined>(undefined)
  useEffect(() => {
    let live = true
    readStorage()
      .then((next) => live && setInfo(next))
      .catch(() => live && setInfo(null))
    return () => {
      live = false
    }
  }, [nonce])
  return info
}
