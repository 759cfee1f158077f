import type { QueueCounts } from '../../db/queue-query'
import { SpotlightQueue } from '../alerts/SpotlightQueue'
import {
  selectFilter,
  selectSetFilter,
  selectSetSort,
  selectShowScreen,
  selectSort,
  selectSpotlight,
} from '../../store/selectors'
import { useAppStore } from '../../store/use-app-store'
import type { QueueFilter } from '../../store/view-slice'
import { MentionGrid } from './MentionGrid'
import { useQueueCounts } from './use-queue'

const tabs: { filter: QueueFilter; label: string }[] = [
  { filter: 'open', label: 'Open' },
  { filter: 'done', label: 'Done' },
  { filter: 'all', label: 'All' },
]

/** Filter tabs, sort, and the mention grid (or what to do when it is empty). */
export function QueueScreen() {
  const filter = useAppStore(selectFilter)
  const sort = useAppStore(selectSort)
  const setFilter = useAppStore(selectSetFilter)
  const setSort = useAppStore(selectSetSort)
  const counts = useQueueCounts()
  const spotlight = useAppStore(selectSpotlight)

  if (spotlight) return <SpotlightQueue spotlight={spotlight} />
  return (
    <section className="queue" aria-label="Queue">
      <div className="toolbar">
        <div className="tabs" role="tablist" aria-label="Show">
          {tabs.map((tab) => (
            <button
              key={tab.filter}
              type="button"
              role="tab"
              aria-selected={filter === tab.filter}
              aria-controls="queue-grid"
              className="tab"
              onClick={() => setFilter(tab.filter)}
            >
              {tab.label}
              <span className="tab__count">
                {counts ? counts[tab.filter].toLocaleString() : '–'}
              </span>
            </button>
          ))}
        </div>
        <div className="segmented" role="group" aria-label="Sort">
          <button
            type="button"
            className="segmented__option"
            aria-pressed={sort === 'time'}
            onClick={() => setSort('time')}
          >
            Newest
          </button>
          <button
            type="button"
            className="segmented__option"
            aria-pressed={sort === 'urgency'}
            onClick={() => setSort('urgency')}
          >
            Most urgent
          </button>
        </div>
      </div>
      {counts === undefined ? (
        <div className="queue__loading" aria-busy="true">
          Reading your history…
        </div>
      ) : counts[filter] === 0 ? (
        <QueueEmpty filter={filter} counts={counts} />
      ) : (
        // A new view starts at its top, with its own scroll position.
        <MentionGrid key={`${filter}/${sort}`} filter={filter} sort={sort} count={counts[filter]} />
      )}
    </section>
  )
}

function QueueEmpty({ filter, counts }: { filter: QueueFilter; counts: QueueCounts }) {
  const showScreen = useAppStore(selectShowScreen)
  const setFilter = useAppStore(selectSetFilter)
  if (counts.all === 0) {
    return (
      <div className="empty">
        <h2 className="empty__title">Nothing heard yet</h2>
        <p className="empty__text">
          Earshot is listening. New mentions appear here as your sources are checked; the demo
          source plays sample mentions until you add a real one.
        </p>
        <button
          type="button"
          className="button button--primary"
          onClick={() => showScreen('sources')}
        >
          Add a feed
        </button>
      </div>
    )
  }
  if (filter === 'open') {
    return (
      <div className="empty">
        <h2 className="empty__title">All caught up</h2>
        <p className="empty__text">
          Every mention is handled. New ones land here as they are heard.
        </p>
        <button type="button" className="button" onClick={() => setFilter('all')}>
          Show all {counts.all.toLocaleString()} mentions
        </button>
      </div>
    )
  }
  return (
    <div className="empty">
      <h2 className="empty__title">Nothing marked done yet</h2>
      <p className="empty__text">
        Select a mention and press <kbd>e</kbd> or <strong>Mark done</strong> once it is handled.
      </p>
      <button type="button" className="button" onClick={() => setFilter('open')}>
        Go to open mentions
      </button>
    </div>
  )
}
