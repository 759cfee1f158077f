import { useDeferredValue, useState } from 'react'
import type { BrandProfile } from '../../../../shared/domain'
import { selectSources } from '../../store/selectors'
import { useAppStore } from '../../store/use-app-store'
import { AddFeedForm } from './AddFeedForm'
import { FeedsTransfer } from './FeedsTransfer'
import { SourceCard } from './SourceCard'
import { needsAttention, sourceWords } from './source-labels'

/** Past this many sources, a box finds one by its words. */
const FIND_FROM = 6

/**
 * Every source with its health, and the form to add one; the profile shows what HN will search.
 * With many sources (an OPML import brings a hundred), the failing and silent ones are one click
 * away, and a box finds a source by name, address, hashtag or account.
 */
export function SourcesScreen({ profile = null }: { profile?: BrandProfile | null }) {
  const sources = useAppStore(selectSources)
  const [show, setShow] = useState<'all' | 'attention'>('all')
  const [query, setQuery] = useState('')
  const words = useDeferredValue(query.trim().toLowerCase())
  const onlyDemo = sources !== null && sources.every((source) => source.config.kind === 'demo')
  const feeds = sources?.filter((source) => source.config.kind === 'rss').length ?? 0
  const troubled = sources?.filter(needsAttention).length ?? 0
  const finding = sources !== null && sources.length > FIND_FROM
  const shown =
    sources?.filter(
      (source) =>
        (show === 'all' || needsAttention(source)) &&
        (!finding || words === '' || sourceWords(source.config).includes(words)),
    ) ?? []
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
          {sources !== null && sources.length > 1 ? (
            <div className="sources__bar">
              <div className="segmented" role="group" aria-label="Show">
                <button
                  type="button"
                  className="segmented__option"
                  aria-pressed={show === 'all'}
                  onClick={() => setShow('all')}
                >
                  All ({sources.length.toLocaleString()})
                </button>
                <button
                  type="button"
                  className="segmented__option"
                  aria-pressed={show === 'attention'}
                  onClick={() => setShow('attention')}
                >
                  Need attention ({troubled.toLocaleString()})
                </button>
              </div>
              {finding ? (
                <input
                  className="input sources__find"
                  type="search"
                  aria-label="Find a source"
                  placeholder="Find a source: name, address, #tag, account"
                  value={query}
                  onChange={(event) => setQuery(event.target.value)}
                />
              ) : null}
            </div>
          ) : null}
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
          ) : shown.length === 0 ? (
            <p className="sources__none muted" role="status">
              {show === 'attention' && troubled === 0
                ? 'Every source is working: none is failing or silent.'
                : `No source ${show === 'attention' ? 'needing attention ' : ''}matches “${query.trim()}”.`}
            </p>
          ) : (
            <ul className="source-list" aria-label="Sources">
              {shown.map((source) => (
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
