import { useState } from 'react'
import { describeError } from '../../../../shared/result'
import { RelativeTime } from '../../components/RelativeTime'
import { ChoiceSelect, plainChoices } from '../../components/ChoiceSelect'
import { AuthorChip, DateRangeFields } from '../../components/FilterFields'
import { intentChoices, sourceChoices, statusChoices } from '../../components/filter-choices'
import { RANK_LIMIT, type HistoryFilters, type HistorySort } from '../../db/history-query'
import { isQuotaError } from '../../db/storage-errors'
import { useServices } from '../../services'
import { selectSelect, selectSelectedId, selectSources } from '../../store/selectors'
import { useAppStore } from '../../store/use-app-store'
import { useSelectedMention } from '../context/use-selected-mention'
import { useDepartmentNames } from '../routing/use-routing'
import { backupDatabase } from './backup'
import { BackupDialog } from './BackupDialog'
import { ImportDialog, RestoreDialog } from './DataDialogs'
import { exportFileName, exportMentions, fileSink, saveBlob, type ExportFormat } from './export'
import { HistoryList } from './HistoryList'
import { describeStorage, nearQuota } from './storage'
import {
  useAuthorPage,
  useHistorySearch,
  useSettled,
  useStorageInfo,
  useThread,
  type HistoryMode,
} from './use-history'

const plural = (n: number) => (n === 1 ? '1 mention' : `${n.toLocaleString()} mentions`)

type Dialog = null | 'import' | 'restore' | 'backup'

/** Everything ever stored: search, filters, author and thread pages, export, import, backup. */
export function HistoryScreen() {
  const { db, store } = useServices()
  const selectedId = useAppStore(selectSelectedId)
  const select = useAppStore(selectSelect)
  const sources = useAppStore(selectSources)
  // Departments as configured on the Routing screen, like the queue's filter.
  const departments = useDepartmentNames()
  const [query, setQuery] = useState('')
  const [filters, setFilters] = useState<HistoryFilters>({})
  const [sort, setSort] = useState<HistorySort>('relevance')
  const [mode, setMode] = useState<HistoryMode>({ kind: 'search' })
  const [dialog, setDialog] = useState<Dialog>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const [storageNonce, setStorageNonce] = useState(0)
  const settledQuery = useSettled(query)

  const search = useHistorySearch({ query: settledQuery, filters, sort }, mode.kind === 'search')
  const author = useAuthorPage(mode.kind === 'author' ? mode.authorId : null)
  const thread = useThread(mode.kind === 'thread' ? mode.mentionId : null)
  const ids = mode.kind === 'search' ? search?.ids : mode.kind === 'author' ? author?.ids : thread
  const selected = useSelectedMention(selectedId)
  const storage = useStorageInfo(storageNonce)

  const notify = (title: string) => store.getState().pushToast({ title })
  const set = (patch: { [K in keyof HistoryFilters]?: HistoryFilters[K] | undefined }) =>
    setFilters((current) => {
      const next = { ...current, ...patch }
      for (const key of Object.keys(next) as (keyof HistoryFilters)[]) {
        if (next[key] === undefined) delete next[key]
      }
      return next as HistoryFilters
    })

  const runExport = async (what: 'results' | 'all', format: ExportFormat) => {
    const type = format === 'csv' ? 'text/csv' : 'application/json'
    setBusy('Exporting…')
    try {
      const sink = await fileSink(
        exportFileName(what === 'all' ? 'history' : 'search', format),
        type,
      )
      if (!sink) return
      const written = await exportMentions(db, what === 'all' ? 'all' : (ids ?? []), format, sink)
      notify(`Exported ${plural(written)} as ${format.toUpperCase()}`)
    } catch (cause) {
      notify(`Could not export: ${describeError(cause)}`)
    } finally {
      setBusy(null)
      setStorageNonce((n) => n + 1)
    }
  }

  const runBackup = async () => {
    setBusy('Backing up…')
    try {
      const blob = await backupDatabase(db)
      if (await saveBlob(blob, exportFileName('backup', 'json'))) {
        notify('Backup saved. Keep it somewhere other than this computer.')
      }
    } catch (cause) {
      notify(
        isQuotaError(cause)
          ? 'Could not back up: the disk is full.'
          : `Could not back up: ${describeError(cause)}`,
      )
    } finally {
      setBusy(null)
    }
  }

  const openAuthor = (authorId: string, name: string) => {
    setMode({ kind: 'author', authorId, name })
  }

  const title =
    mode.kind === 'author'
      ? `Everything by ${mode.name}`
      : mode.kind === 'thread'
        ? 'The whole thread'
        : null

  return (
    <section className="history" aria-label="History">
      <div className="history__bar">
        <input
          id="history-search"
          className="input history__search"
          type="search"
          aria-label="Search the history"
          placeholder='Search everything: words, "a phrase", or the start of a word'
          value={query}
          onChange={(event) => {
            setQuery(event.target.value)
            if (mode.kind !== 'search') setMode({ kind: 'search' })
          }}
        />
        <div className="segmented" role="group" aria-label="Order">
          <button
            type="button"
            className="segmented__option"
            aria-pressed={sort === 'relevance'}
            onClick={() => setSort('relevance')}
          >
            Best match
          </button>
          <button
            type="button"
            className="segmented__option"
            aria-pressed={sort === 'time'}
            onClick={() => setSort('time')}
          >
            Newest
          </button>
        </div>
        <div className="history__tools">
          <details className="menu">
            <summary className="button button--small">Export</summary>
            <div className="menu__panel" role="group" aria-label="Export">
              {(['csv', 'json'] as const).map((format) => (
                <button
                  key={`results-${format}`}
                  type="button"
                  className="button button--quiet button--small"
                  disabled={!ids || ids.length === 0 || busy !== null}
                  onClick={() => void runExport('results', format)}
                >
                  These results as {format.toUpperCase()}
                </button>
              ))}
              {(['csv', 'json'] as const).map((format) => (
                <button
                  key={`all-${format}`}
                  type="button"
                  className="button button--quiet button--small"
                  disabled={busy !== null}
                  onClick={() => void runExport('all', format)}
                >
                  Everything as {format.toUpperCase()}
                </button>
              ))}
            </div>
          </details>
          <button
            type="button"
            className="button button--small"
            onClick={() => setDialog('import')}
          >
            Import…
          </button>
          <button
            type="button"
            className="button button--small"
            onClick={() => setDialog('backup')}
          >
            Back up…
          </button>
          <button
            type="button"
            className="button button--small"
            onClick={() => setDialog('restore')}
          >
            Restore…
          </button>
        </div>
      </div>
      <div className="filters" role="group" aria-label="Filter the history">
        {filters.authorId !== undefined ? (
          <AuthorChip
            name={filters.authorName ?? filters.authorId}
            onClear={() => set({ authorId: undefined, authorName: undefined })}
          />
        ) : null}
        <ChoiceSelect
          label="Source"
          any="Any source"
          value={filters.sourceId}
          choices={[...sourceChoices(sources), { value: 'import', label: 'Imported files' }]}
          onChange={(sourceId) => set({ sourceId })}
        />
        <ChoiceSelect
          label="Status"
          any="Any status"
          value={filters.status}
          choices={statusChoices}
          onChange={(status) => set({ status })}
        />
        <ChoiceSelect
          label="Intent"
          any="Any intent"
          value={filters.intent}
          choices={intentChoices}
          onChange={(intent) => set({ intent })}
        />
        <ChoiceSelect
          label="Department"
          any="Any department"
          value={filters.department}
          choices={plainChoices(departments)}
          onChange={(department) => set({ department })}
        />
        <DateRangeFields from={filters.from} to={filters.to} onChange={set} />
        {Object.keys(filters).length > 0 ? (
          <button
            type="button"
            className="button button--quiet button--small"
            onClick={() => setFilters({})}
          >
            Clear filters
          </button>
        ) : null}
      </div>
      {title !== null ? (
        <div className="history__page">
          <button
            type="button"
            className="button button--small"
            onClick={() => setMode({ kind: 'search' })}
          >
            ← Back to search
          </button>
          <h2 className="history__title">{title}</h2>
        </div>
      ) : null}
      {mode.kind === 'author' && author && author.actions.length > 0 ? (
        <details className="history__actions">
          <summary>
            What you did with {mode.name}’s mentions ({author.actions.length})
          </summary>
          <ol>
            {author.actions.slice(0, 200).map((action) => (
              <li key={action.id}>
                <RelativeTime at={action.at} short /> {action.detail.text}
              </li>
            ))}
          </ol>
        </details>
      ) : null}
      <div className="history__status" role="status">
        {busy ??
          (ids === undefined
            ? 'Searching…'
            : `${plural(ids.length)}${
                mode.kind === 'search' && search && !search.ranked
                  ? ` — more than ${RANK_LIMIT.toLocaleString()} matches, so newest first; add words to rank them`
                  : ''
              }`)}
        {selected.kind === 'found' ? (
          <span className="history__selected">
            <button
              type="button"
              className="button button--quiet button--small"
              onClick={() => openAuthor(selected.mention.author.id, selected.mention.author.name)}
            >
              All by {selected.mention.author.name}
            </button>
            {selected.mention.threadId !== undefined || selected.mention.replyTo !== undefined ? (
              <button
                type="button"
                className="button button--quiet button--small"
                onClick={() => setMode({ kind: 'thread', mentionId: selected.mention.id })}
              >
                Show the thread
              </button>
            ) : null}
            <button
              type="button"
              className="button button--quiet button--small"
              onClick={() =>
                set({
                  authorId: selected.mention.author.id,
                  authorName: selected.mention.author.name,
                })
              }
            >
              Filter to this author
            </button>
          </span>
        ) : null}
      </div>
      {ids !== undefined && ids.length === 0 ? (
        <div className="empty empty--inline">
          <h2 className="empty__title">Nothing matches</h2>
          <p className="empty__text">
            Every word must appear; the last one may be the start of a word. Try fewer words or
            clear the filters.
          </p>
        </div>
      ) : ids !== undefined ? (
        <HistoryList
          ids={ids}
          selectedId={selectedId}
          onSelect={(id) => select(id)}
          label={title ?? 'Search results'}
        />
      ) : (
        <div className="history__list" aria-busy="true" />
      )}
      <footer className="history__footer">
        {storage ? (
          <span className={nearQuota(storage) ? 'history__quota is-near' : 'history__quota'}>
            {nearQuota(storage) ? (
              <strong>
                Storage almost full: {describeStorage(storage)}. Export or back up, then free some
                space. When it is full, new mentions wait safely in Earshot until there is room.
              </strong>
            ) : (
              <>Stored on this computer: {describeStorage(storage)}</>
            )}
            {storage.persisted === false
              ? ' · the browser may clear it when space runs low; back up regularly'
              : storage.persisted
                ? ' · kept safe from automatic clearing'
                : ''}
          </span>
        ) : storage === null ? (
          <span className="history__quota">This browser does not report storage use.</span>
        ) : null}
        <span className="history__note">
          Back up… saves a file, and backs up into the data folder on the schedule you choose (every
          day unless you change it).
        </span>
      </footer>
      {dialog === 'import' ? (
        <ImportDialog
          onClose={() => {
            setDialog(null)
            setStorageNonce((n) => n + 1)
          }}
        />
      ) : null}
      {dialog === 'restore' ? <RestoreDialog onClose={() => setDialog(null)} /> : null}
      {dialog === 'backup' ? (
        <BackupDialog
          onClose={() => setDialog(null)}
          onSaveFile={() => {
            setDialog(null)
            void runBackup()
          }}
        />
      ) : null}
    </section>
  )
}
