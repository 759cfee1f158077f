import type { BrandProfile } from '../../../../shared/domain'
import { selectSources } from '../../store/selectors'
import { useAppStore } from '../../store/use-app-store'
import { AddFeedForm } from './AddFeedForm'
import { FeedsTransfer } from './FeedsTransfer'
import { SourceCard } from './SourceCard'

/** Every source with its health, and the form to add one; the profile shows what HN will search. */
export function SourcesScreen({ profile = null }: { profile?: BrandProfile | null }) {
  const sources = useAppStore(selectSources)
  const onlyDemo = sources !== null && sources.every((source) => source.config.kind === 'demo')
  const feeds = sources?.filter((source) => source.config.kind === 'rss').length ?? 0
  return (
    <section className="page" aria-labelledby="sources-title">
      <header className="page__header">
        <h1 id="sources-title" className="page__title">
          Sources
        </h1>
        <p className="page__lead">
          Where Earshot listens. Each source shows when it last worked and what went wrong, so a
          silent feed never goes unnoticed.
        </p>
      </header>
      <div className="sources">
        <div className="sources__list">
          {sources === null ? (
            <p className="muted" aria-busy="true">
              Asking Earshot for your sources…
            </p>
          ) : sources.length === 0 ? (
            <div className="empty empty--inline">
              <h2 className="empty__title">No sources yet</h2>
              <p className="empty__text">
                Add a feed or Hacker News to start hearing mentions: a blog, a forum, a news search
                or a Google Alerts feed.
              </p>
            </div>
          ) : (
            <ul className="source-list" aria-label="Sources">
              {sources.map((source) => (
                <SourceCard key={source.config.id} source={source} />
              ))}
            </ul>
          )}
        </div>
        <aside className="sources__add">
          <AddFeedForm highlight={onlyDemo} profile={profile} />
          <FeedsTransfer feeds={feeds} />
        </aside>
      </div>
    </section>
  )
}
