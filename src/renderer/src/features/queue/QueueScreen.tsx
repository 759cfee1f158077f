import { useEffect, useEffectEvent, useRef, useState } from 'react'
import { describeError } from '../../../../shared/result'
import { applyChange, setStatus, type Change } from '../../db/actions'
import { followUpAtFor } from '../../db/follow-ups'
import { isPlain, VIEW_IDS, viewLabels, type ViewCounts, type ViewId } from '../../db/queue-query'
import { useServices } from '../../services'
import {
  selectChecked,
  selectFilters,
  selectSavedView,
  selectSelectedId,
  selectSetSort,
  selectSetView,
  selectShowScreen,
  selectSort,
  selectView,
  selectSpotlight,
} from '../../store/selectors'
import { selectRouting } from '../../store/routing-slice'
import { useAppStore } from '../../store/use-app-store'
import { acknowledgeMention } from '../alerts/acknowledge'
import { SpotlightQueue } from '../alerts/SpotlightQueue'
import { useDepartmentNames } from '../routing/use-routing'
import { CommandPalette } from '../workspace/CommandPalette'
import { FilterBar } from '../workspace/FilterBar'
import { commandFor, type Command } from '../workspace/keymap'
import type { PaletteCommand } from '../workspace/palette'
import { RouteDialog, SnoozeDialog } from '../workspace/PickerDialogs'
import {
  deleteSavedView,
  loadColumnPrefs,
  loadSavedViews,
  saveColumnPrefs,
  saveView,
  type ColumnPrefs,
  type SavedView,
} from '../workspace/prefs'
import { ShortcutSheet } from '../workspace/ShortcutSheet'
import { columnLabels } from './columns'
import { MentionGrid, type GridApi } from './MentionGrid'
import { useMatches, useSavedCounts, useSnoozeWake, useViewCounts } from './use-queue'

type DialogState =
  | null
  | { kind: 'help' }
  | { kind: 'palette' }
  | { kind: 'snooze'; ids: string[] }
  | { kind: 'route'; ids: string[] }

/** The views in tab order: the work first, All last. */
const TABS: readonly ViewId[] = VIEW_IDS

const plural = (n: number) => (n === 1 ? '1 mention' : `${n.toLocaleString()} mentions`)

/** Views, filters, bulk actions, the mention grid, and the workspace's keyboard. */
/** The queue; while an alert's spotlight is on, the posts behind that spike or digest instead. */
export function QueueScreen() {
  const spotlight = useAppStore(selectSpotlight)
  return spotlight ? <SpotlightQueue spotlight={spotlight} /> : <WorkQueue />
}

function WorkQueue() {
  const { db, store, client } = useServices()
  const view = useAppStore(selectView)
  const sort = useAppStore(selectSort)
  const filters = useAppStore(selectFilters)
  const savedView = useAppStore(selectSavedView)
  const checked = useAppStore(selectChecked)
  const selectedId = useAppStore(selectSelectedId)
  const setView = useAppStore(selectSetView)
  const setSort = useAppStore(selectSetSort)
  const showScreen = useAppStore(selectShowScreen)
  const counts = useViewCounts()
  const [saved, setSaved] = useState<SavedView[]>(loadSavedViews)
  const savedCounts = useSavedCounts(saved)
  const [columns, setColumns] = useState<ColumnPrefs>(loadColumnPrefs)
  const [dialog, setDialog] = useState<DialogState>(null)
  const [columnsOpen, setColumnsOpen] = useState(false)
  const gridApi = useRef<GridApi | null>(null)
  const spec = { view, sort, filters }
  const matches = useMatches(spec)
  useSnoozeWake()

  const departments = useDepartmentNames()
  // The route dialog sets each department's follow-up time.
  const routing = useAppStore(selectRouting)
  const count = matches === null ? counts?.[view] : matches?.ids.length

  const notify = (title: string) => store.getState().pushToast({ title })
  const targets = (): string[] => {
    const { checked: ticked, selectedId: current } = store.getState()
    return ticked.length > 0 ? ticked : current !== null ? [current] : []
  }
  const nothingHint = () => notify('Select a mention first (j or k), or tick some with x.')

  const change = async (ids: string[], next: Change, words: string) => {
    if (ids.length === 0) return nothingHint()
    try {
      const written = await applyChange(db, ids, next)
      // Handled in bulk is handled: no more reminders for these.
      if (next.kind === 'status' && next.status !== 'open') {
        for (const id of ids) acknowledgeMention(client, id)
      }
      store.getState().clearChecked()
      notify(`${words}: ${plural(written.length)}`)
    } catch (cause) {
      notify(`Could not save: ${describeError(cause)}`)
    }
  }

  const markDone = async () => {
    const ids = targets()
    const single = store.getState().checked.length === 0 && ids.length === 1
    if (!single) return change(ids, { kind: 'status', status: 'done' }, 'Marked done')
    try {
      await setStatus(db, ids[0]!, 'toggle')
    } catch (cause) {
      notify(`Could not save: ${describeError(cause)}`)
    }
  }
  const askSnooze = () => {
    const ids = targets()
    if (ids.length === 0) return nothingHint()
    setDialog({ kind: 'snooze', ids })
  }
  const askRoute = () => {
    const ids = targets()
    if (ids.length === 0) return nothingHint()
    setDialog({ kind: 'route', ids })
  }
  const reply = () => {
    const area = document.getElementById('reply-area')
    if (area) area.focus()
    else notify('No reply area here yet: use Open original to answer on the platform.')
  }

  const openSaved = (entry: SavedView) => {
    setView(entry.view, { filters: entry.filters, savedView: entry.name })
    setSort(entry.sort)
  }
  const onSave = (name: string) => {
    setSaved(saveView({ name, view, sort, filters }))
    setView(view, { filters, savedView: name })
    notify(`Saved the view “${name}”`)
  }

  const paletteCommands: PaletteCommand[] = [
    ...TABS.map((id) => ({
      id: `view-${id}`,
      label: `Go to ${viewLabels[id]}`,
      run: () => setView(id),
    })),
    ...saved.map((entry, index) => ({
      id: `saved-${index}`,
      label: `Go to ${entry.name}`,
      run: () => openSaved(entry),
    })),
    { id: 'done', label: 'Mark done', hint: 'e', run: () => void markDone() },
    { id: 'snooze', label: 'Snooze…', hint: 's', run: askSnooze },
    { id: 'route', label: 'Route to a department…', hint: 't', run: askRoute },
    {
      id: 'monitor',
      label: 'Watch only (monitor)',
      run: () => void change(targets(), { kind: 'status', status: 'monitor' }, 'Watching'),
    },
    {
      id: 'spam',
      label: 'Mark as spam',
      run: () => void change(targets(), { kind: 'status', status: 'spam' }, 'Marked as spam'),
    },
    {
      id: 'reopen',
      label: 'Reopen',
      run: () => void change(targets(), { kind: 'status', status: 'open' }, 'Reopened'),
    },
    { id: 'sort-urgency', label: 'Sort by urgency', run: () => setSort('urgency') },
    { id: 'sort-time', label: 'Sort by time', run: () => setSort('time') },
    {
      id: 'search',
      label: 'Search words',
      hint: '/',
      run: () => document.getElementById('queue-search')?.focus(),
    },
    {
      id: 'clear',
      label: 'Clear filters',
      run: () => store.getState().setFilters({}, { replace: true }),
    },
    {
      id: 'help',
      label: 'Show keyboard shortcuts',
      hint: '?',
      run: () => setDialog({ kind: 'help' }),
    },
    { id: 'sources', label: 'Open sources', run: () => showScreen('sources') },
    { id: 'history', label: 'Go to History (search everything)', run: () => showScreen('history') },
    { id: 'settings', label: 'Open brand settings', run: () => showScreen('setup') },
  ]

  const run = (command: Command) => {
    switch (command) {
      case 'next':
        return gridApi.current?.move('j')
      case 'previous':
        return gridApi.current?.move('k')
      case 'open':
        return gridApi.current?.open()
      case 'done':
        return void markDone()
      case 'snooze':
        return askSnooze()
      case 'route':
        return askRoute()
      case 'check': {
        const id = store.getState().selectedId
        return id === null ? nothingHint() : store.getState().toggleChecked(id)
      }
      case 'reply':
        return reply()
      case 'search':
        return document.getElementById('queue-search')?.focus()
      case 'help':
        return setDialog({ kind: 'help' })
      case 'palette':
        return setDialog({ kind: 'palette' })
      case 'close': {
        const active = document.activeElement
        if (active instanceof HTMLElement && active.closest('.filters')) {
          return gridApi.current?.focus()
        }
        return store.getState().clearChecked()
      }
    }
  }

  // One listener for the workspace's keymap. Dialogs handle their own keys (and Escape).
  const onKeyDown = useEffectEvent((event: KeyboardEvent) => {
    if (event.defaultPrevented || dialog !== null) return
    if (event.target instanceof Element && event.target.closest('[role="dialog"]')) return
    const command = commandFor(event)
    if (command === null) return
    // Enter and Escape outside the queue belong to whatever has focus.
    const inQueue = event.target instanceof Element && event.target.closest('.queue, .context')
    if ((command === 'open' || command === 'close') && !inQueue && event.target !== document.body)
      return
    event.preventDefault()
    run(command)
  })
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKeyDown(event)
    document.addEventListener('keydown', listener)
    return () => document.removeEventListener('keydown', listener)
  }, [])

  const onColumnsChange = (next: ColumnPrefs) => {
    setColumns(next)
    saveColumnPrefs(next)
  }
  const toggleColumn = (id: string) =>
    onColumnsChange({
      ...columns,
      hidden: columns.hidden.includes(id)
        ? columns.hidden.filter((other) => other !== id)
        : [...columns.hidden, id],
    })

  return (
    <section className="queue" aria-label="Queue">
      <div className="toolbar">
        <div className="tabs" role="tablist" aria-label="Views">
          {TABS.map((id) => (
            <button
              key={id}
              type="button"
              role="tab"
              aria-selected={view === id && savedView === null}
              aria-controls="queue-grid"
              className="tab"
              onClick={() => setView(id)}
            >
              {viewLabels[id]}
              <span className="tab__count">{counts ? counts[id].toLocaleString() : '–'}</span>
            </button>
          ))}
          {saved.map((entry) => (
            <span key={entry.name} className="tab-group">
              <button
                type="button"
                role="tab"
                aria-selected={savedView === entry.name}
                aria-controls="queue-grid"
                className="tab tab--saved"
                onClick={() => openSaved(entry)}
              >
                {entry.name}
                <span className="tab__count">
                  {savedCounts?.[entry.name]?.toLocaleString() ?? '–'}
                </span>
              </button>
              <button
                type="button"
                className="tab__remove"
                aria-label={`Delete the saved view ${entry.name}`}
                onClick={() => {
                  setSaved(deleteSavedView(entry.name))
                  if (savedView === entry.name) setView(view, { filters })
                }}
              >
                ×
              </button>
            </span>
          ))}
        </div>
        <div className="toolbar__end">
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
          <div className="menu">
            <button
              type="button"
              className="button button--small"
              aria-expanded={columnsOpen}
              onClick={() => setColumnsOpen(!columnsOpen)}
            >
              Columns
            </button>
            {columnsOpen ? (
              <fieldset className="menu__panel" aria-label="Columns shown">
                {Object.entries(columnLabels).map(([id, label]) => (
                  <label key={id} className="menu__item">
                    <input
                      type="checkbox"
                      checked={!columns.hidden.includes(id)}
                      disabled={id === 'text'}
                      onChange={() => toggleColumn(id)}
                    />
                    {label}
                  </label>
                ))}
                <button
                  type="button"
                  className="button button--quiet button--small"
                  onClick={() => onColumnsChange({ hidden: [], widths: {} })}
                >
                  Reset columns
                </button>
              </fieldset>
            ) : null}
          </div>
        </div>
      </div>
      <FilterBar
        departments={departments}
        truncated={matches?.truncated ?? false}
        onSave={onSave}
      />
      {checked.length > 0 ? (
        <div className="bulk" role="toolbar" aria-label="Bulk actions">
          <span className="bulk__count">{plural(checked.length)} ticked</span>
          <button
            type="button"
            className="button button--small button--primary"
            onClick={() => void markDone()}
          >
            Done <kbd>e</kbd>
          </button>
          <button type="button" className="button button--small" onClick={askSnooze}>
            Snooze… <kbd>s</kbd>
          </button>
          <button type="button" className="button button--small" onClick={askRoute}>
            Route… <kbd>t</kbd>
          </button>
          <button
            type="button"
            className="button button--small"
            onClick={() => void change(checked, { kind: 'status', status: 'monitor' }, 'Watching')}
          >
            Watch only
          </button>
          <button
            type="button"
            className="button button--small"
            onClick={() =>
              void change(checked, { kind: 'status', status: 'spam' }, 'Marked as spam')
            }
          >
            Spam
          </button>
          <button
            type="button"
            className="button button--quiet button--small"
            onClick={() => store.getState().clearChecked()}
          >
            Untick all
          </button>
        </div>
      ) : null}
      {counts !== undefined && count === 0 ? (
        <QueueEmpty view={view} counts={counts} filtered={!isPlain(filters)} />
      ) : matches === undefined ? (
        <div className="queue__loading" aria-busy="true">
          Reading your history…
        </div>
      ) : (
        // Shown before the view is counted: its first rows paint while the counts run. A new
        // view starts at its top, with its own scroll position.
        <MentionGrid
          key={`${view}/${sort}/${JSON.stringify(filters)}`}
          spec={spec}
          count={count}
          matched={matches?.ids ?? null}
          columns={columns}
          onColumnsChange={onColumnsChange}
          apiRef={gridApi}
        />
      )}
      {selectedId === null && count !== undefined && count > 0 ? (
        <p className="queue__hint">
          Press <kbd>j</kbd> to start, <kbd>?</kbd> for every shortcut.
        </p>
      ) : null}
      {dialog?.kind === 'help' ? <ShortcutSheet onClose={() => setDialog(null)} /> : null}
      {dialog?.kind === 'palette' ? (
        <CommandPalette commands={paletteCommands} onClose={() => setDialog(null)} />
      ) : null}
      {dialog?.kind === 'snooze' ? (
        <SnoozeDialog
          targets={dialog.ids.length}
          onClose={() => setDialog(null)}
          onPick={(until) => void change(dialog.ids, { kind: 'snooze', until }, 'Snoozed')}
        />
      ) : null}
      {dialog?.kind === 'route' ? (
        <RouteDialog
          targets={dialog.ids.length}
          departments={departments}
          onClose={() => setDialog(null)}
          onPick={(department) =>
            void change(
              dialog.ids,
              {
                kind: 'route',
                department,
                followUpAt: followUpAtFor(routing?.departments, department, Date.now()),
              },
              `Routed to ${department}`,
            )
          }
        />
      ) : null}
    </section>
  )
}

type EmptyProps = { view: ViewId; counts: ViewCounts; filtered: boolean }

function QueueEmpty({ view, counts, filtered }: EmptyProps) {
  const showScreen = useAppStore(selectShowScreen)
  const setView = useAppStore(selectSetView)
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
  if (filtered) {
    return (
      <div className="empty">
        <h2 className="empty__title">No mention matches these filters</h2>
        <p className="empty__text">Loosen a filter, or clear them all, to see more.</p>
        <button type="button" className="button" onClick={() => setView(view)}>
          Clear filters
        </button>
      </div>
    )
  }
  const words: Record<ViewId, string> = {
    inbox: 'Every mention addressed to you is handled. New ones land here as they are heard.',
    urgent: 'Nothing urgent is waiting.',
    watching: 'No overheard mentions are being watched.',
    waiting: 'Nothing is waiting on a department. Route a mention with t.',
    snoozed: 'Nothing is snoozed. Snooze a mention with s.',
    done: 'Nothing marked done yet. Select a mention and press e once it is handled.',
    all: 'Nothing heard yet.',
  }
  return (
    <div className="empty">
      <h2 className="empty__title">{view === 'inbox' ? 'All caught up' : viewLabels[view]}</h2>
      <p className="empty__text">{words[view]}</p>
      <button type="button" className="button" onClick={() => setView('all')}>
        Show all {counts.all.toLocaleString()} mentions
      </button>
    </div>
  )
}
