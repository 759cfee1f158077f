import { useLiveQuery } from 'dexie-react-hooks'
import type { Mention } from '../../../../shared/domain'
import type { ResponderState } from '../../db/database'
import { useServices } from '../../services'

export type SelectedMention =
  | { kind: 'none' }
  | { kind: 'loading' }
  | { kind: 'missing'; id: string }
  | { kind: 'found'; mention: Mention; state: ResponderState | undefined }

/** The selected mention's content and state, live: marking done elsewhere shows here at once. */
export function useSelectedMention(id: string | null): SelectedMention {
  const { db } = useServices()
  const found = useLiveQuery(async () => {
    if (id === null) return null
    const [mention, state] = await Promise.all([db.mentions.get(id), db.states.get(id)])
    return { id, mention, state }
  }, [db, id])
  if (id === null) return { kind: 'none' }
  // A result for the previous selection is stale until the new read lands.
  if (found === undefined || found === null || found.id !== id) return { kind: 'loading' }
  if (!found.mention) return { kind: 'missing', id }
  return { kind: 'found', mention: found.mention, state: found.state }
}
