import { useLiveQuery } from 'dexie-react-hooks'
import type { Mention } from '../../../../shared/domain'
import { useServices } from '../../services'
import { selectSelect, selectSelectedId, selectShowSpotlight } from '../../store/selectors'
import type { Spotlight } from '../../store/spotlight-slice'
import { useAppStore } from '../../store/use-app-store'

/** The queue narrowed to the posts behind a spike or a digest, most urgent first. */
export function SpotlightQueue({ spotlight }: { spotlight: Spotlight }) {
  const { db } = useServices()
  const selectedId = useAppStore(selectSelectedId)
  const select = useAppStore(selectSelect)
  const showSpotlight = useAppStore(selectShowSpotlight)
  const mentions = useLiveQuery(async () => {
    const found = await db.mentions.bulkGet(spotlight.mentionIds)
    return found
      .filter((mention): mention is Mention => mention !== undefined)
      .sort((a, b) => b.triage.urgency - a.triage.urgency || b.createdAt - a.createdAt)
  }, [db, spotlight])
  const waiting = mentions ? spotlight.mentionIds.length - mentions.length : 0

  return (
    <section className="queue" aria-label="Queue">
      <div className="spotlight" role="status">
        <span className="spotlight__title ellipsis">
          {spotlight.mentionIds.length.toLocaleString()} posts behind{' '}
          <strong>{spotlight.title}</strong>
          {waiting > 0 ? ` (${waiting} still on their way)` : ''}
        </span>
        <button type="button" className="button button--small" onClick={() => showSpotlight(null)}>
          Show the whole queue
        </button>
      </div>
      {mentions === undefined ? (
        <div className="queue__loading" aria-busy="true">
          Reading your history…
        </div>
      ) : (
        <ul className="spotlight-list" aria-label="Posts behind the alert">
          {mentions.map((mention) => (
            <li key={mention.id}>
              <button
                type="button"
                className="spotlight-list__row"
                aria-current={mention.id === selectedId ? 'true' : undefined}
                onClick={() => select(mention.id)}
              >
                <span className="ellipsis">{mention.author.handle ?? mention.author.name}</span>
                <span className="ellipsis">{mention.title ?? mention.text}</span>
                <span className="spotlight-list__urgency">{mention.triage.urgency}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
