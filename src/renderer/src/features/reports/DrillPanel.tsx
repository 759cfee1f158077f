import { useLiveQuery } from 'dexie-react-hooks'
import { RelativeTime } from '../../components/RelativeTime'
import { SourceLabel } from '../../components/SourceLabel'
import { DirectedBadge, SentimentBadge } from '../../components/TriageBadges'
import { useServices } from '../../services'
import { selectSelect, selectSelectedId } from '../../store/selectors'
import { useAppStore } from '../../store/use-app-store'
import { MentionDetails } from '../context/MentionDetails'
import { useSelectedMention } from '../context/use-selected-mention'
import type { Drill } from './use-report'

/** Rows drawn at once; the rest are counted, not drawn. */
const SHOWN = 200

/**
 * The mentions behind the figure last clicked, newest first; one opens in full with its actions,
 * as in the queue, and Back returns to the list.
 */
export function DrillPanel({ drill, onClose }: { drill: Drill; onClose: () => void }) {
  const { db } = useServices()
  const selectedId = useAppStore(selectSelectedId)
  const select = useAppStore(selectSelect)
  const ids = drill.kind === 'ready' ? drill.ids.slice(0, SHOWN) : null
  const mentions = useLiveQuery(
    async () => (ids ? (await db.mentions.bulkGet(ids)).filter((m) => m !== undefined) : null),
    [db, ids?.join('\n')],
  )
  const selected = useSelectedMention(selectedId)
  const open = selectedId !== null && ids?.includes(selectedId) ? selected : null

  return (
    <aside className="drill" aria-label="Mentions behind the figure">
      <div className="drill__header">
        <div>
          <h2 className="drill__title">{drill.spec.title}</h2>
          <p className="drill__count" aria-live="polite">
            {drill.kind === 'loading'
              ? 'Finding the mentions…'
              : drill.kind === 'error'
                ? drill.message
                : drill.total === 0
                  ? 'No mentions'
                  : `${drill.total.toLocaleString()} mention${drill.total === 1 ? '' : 's'}${
                      drill.total > SHOWN ? `, the newest ${SHOWN} shown` : ''
                    }`}
          </p>
        </div>
        <button type="button" className="button button--small button--quiet" onClick={onClose}>
          Close
        </button>
      </div>
      {open?.kind === 'found' ? (
        <div className="drill__details">
          <button type="button" className="button button--small" onClick={() => select(null)}>
            ← Back to the list
          </button>
          <MentionDetails key={open.mention.id} mention={open.mention} state={open.state} />
        </div>
      ) : (
        <ul className="drill__list">
          {(mentions ?? []).map((mention) => (
            <li key={mention.id}>
              <button type="button" className="drill__row" onClick={() => select(mention.id)}>
                <span className="drill__meta">
                  <strong>{mention.author.name}</strong>
                  <SourceLabel mention={mention} />
                  <RelativeTime at={mention.createdAt} />
                </span>
                <span className="drill__text">{mention.title ?? mention.text}</span>
                <span className="drill__badges">
                  <SentimentBadge sentiment={mention.triage.sentiment} />
                  <DirectedBadge directed={mention.triage.directed} own={mention.triage.own} />
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </aside>
  )
}
