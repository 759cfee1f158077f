import { useLiveQuery } from 'dexie-react-hooks'
import type { Mention } from '../../../../shared/domain'
import { RelativeTime } from '../../components/RelativeTime'
import { loadTimeline } from '../../db/actions'
import { countByAuthor } from '../../db/queue-query'
import { useServices } from '../../services'

/** What was done with this mention, oldest first, from the audit log; live. */
export function Timeline({ mentionId }: { mentionId: string }) {
  const { db } = useServices()
  const actions = useLiveQuery(() => loadTimeline(db, mentionId), [db, mentionId])
  return (
    <section className="details__section" aria-label="Timeline">
      <h3 className="details__heading">Timeline</h3>
      {actions === undefined ? null : actions.length === 0 ? (
        <p className="details__muted">Nothing done with this mention yet.</p>
      ) : (
        <ol className="timeline">
          {actions.map((action) => (
            <li key={action.id} className={`timeline__item timeline__item--${action.kind}`}>
              <span className="timeline__text">{action.detail.text}</span>
              <span className="timeline__at">
                <RelativeTime at={action.at} />
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}

/** How many mentions Earshot holds from this author, with a way to see them all in the queue. */
export function AuthorHistory({ mention }: { mention: Mention }) {
  const { db, store } = useServices()
  const { author } = mention
  const total = useLiveQuery(() => countByAuthor(db, author.id), [db, author.id])
  if (total === undefined) return null
  const others = Math.max(0, total - 1)
  return (
    <p className="author__history">
      {others === 0
        ? 'No other mentions by this author.'
        : `${others.toLocaleString()} other ${others === 1 ? 'mention' : 'mentions'} by this author, on any source.`}{' '}
      {others > 0 ? (
        <button
          type="button"
          className="button button--small"
          onClick={() =>
            store.getState().setView('all', {
              filters: { authorId: author.id, authorName: author.name },
            })
          }
        >
          Show all by {author.name}
        </button>
      ) : null}
    </p>
  )
}
