import { flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import {
  useCallback,
  useEffect,
  useEffectEvent,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type PointerEvent as ReactPointerEvent,
  type RefObject,
} from 'react'
import { queuePosition, type QueueRow, type QueueSpec } from '../../db/queue-query'
import { stateMirrorOf } from '../../db/state-mirror'
import { useServices } from '../../services'
import {
  selectChecked,
  selectRevealNonce,
  selectSelect,
  selectSelectedId,
  selectToggleChecked,
} from '../../store/selectors'
import { useAppStore } from '../../store/use-app-store'
import type { ColumnPrefs } from '../workspace/prefs'
import { columnTemplate, queueColumns } from './columns'
import { firstRows } from './first-rows'
import { nextPosition } from './grid-keys'
import { MentionRow, ROW_HEIGHT } from './MentionRow'
import { slotOf, slotPool } from './row-slots'
import { useQueueWindow } from './use-queue'

/** Rows are read in chunks around the viewport, not one query per scroll step. */
const CHUNK = 50
const EMPTY: QueueRow[] = []
/**
 * Rows beyond the viewport are rendered, laid out and diffed on every scrolled frame; a scroll
 * frame brings about 3 rows in, so 6 each side is two frames ahead (12 made ~46 rows a frame).
 */
const OVERSCAN = 6

/** What the workspace's keyboard asks of the grid. */
export type GridApi = {
  move: (key: 'j' | 'k') => void
  /** Selects the first row when none is; else moves focus to the details panel. */
  open: () => void
  focus: () => void
}

type Props = {
  spec: QueueSpec
  /**
   * The view's size; undefined while it is counted, when the grid shows the rows of its first
   * window meanwhile.
   */
  count: number | undefined
  /** The ids of a filtered view in order; null for a plain view. */
  matched: readonly string[] | null
  columns: ColumnPrefs
  onColumnsChange: (prefs: ColumnPrefs) => void
  apiRef: RefObject<GridApi | null>
}

/** The virtualized queue: only a window of rows near the viewport is read and rendered. */
export function MentionGrid({
  spec,
  count: counted,
  matched,
  columns,
  onColumnsChange,
  apiRef,
}: Props) {
  const { db } = useServices()
  const selectedId = useAppStore(selectSelectedId)
  const revealNonce = useAppStore(selectRevealNonce)
  const select = useAppStore(selectSelect)
  const checked = useAppStore(selectChecked)
  const toggleChecked = useAppStore(selectToggleChecked)
  const gridRef = useRef<HTMLDivElement>(null)
  const scrollRef = useRef<HTMLDivElement>(null)
  const spacerRef = useRef<HTMLDivElement>(null)
  const lastAt = useRef(0)
  const pendingAt = useRef<number | null>(null)
  const revealed = useRef(0)
  const [fresh, setFresh] = useState(0)
  /** Rows in the first window, shown as the size until the view is counted. */
  const [firstWindow, setFirstWindow] = useState<number | null>(null)
  const count = counted ?? firstWindow ?? 0

  // We do not run the React Compiler; the virtualizer's methods are read fresh on every render.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    // The anchor follows the offset the virtualizer read in its own scroll listener, whenever the
    // first row in view changes (`sync`: a scroll caused it): reading scrollTop in every scroll
    // event, after the virtualizer re-rendered the rows, forced a second layout per frame.
    onChange: (instance, sync) => {
      if (sync) setAnchor(instance.scrollOffset ?? 0)
    },
  })
  const items = virtualizer.getVirtualItems()
  const start = Math.max(0, (Math.floor((items[0]?.index ?? 0) / CHUNK) - 1) * CHUNK)
  const end = (Math.floor((items.at(-1)?.index ?? 0) / CHUNK) + 2) * CHUNK
  const loaded = useQueueWindow(spec, matched, start, end - start)

  // The same object while the hidden columns stay: the table's memoized cells and headers depend
  // on it, and the grid renders on every scrolled frame.
  const columnVisibility = useMemo(
    () => Object.fromEntries(columns.hidden.map((id) => [id, false])),
    [columns.hidden],
  )
  const table = useReactTable({
    data: loaded?.rows ?? EMPTY,
    columns: queueColumns,
    state: { columnVisibility },
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => row.mention.id,
  })
  const tableRows = table.getRowModel().rows
  const rowAt = (position: number) =>
    loaded && position >= loaded.start ? tableRows[position - loaded.start] : undefined
  const found = loaded ? tableRows.findIndex((row) => row.id === selectedId) : -1
  const selectedAt = loaded && found >= 0 ? loaded.start + found : -1

  useEffect(() => {
    if (selectedAt >= 0) lastAt.current = selectedAt
  }, [selectedAt])

  // With the first rows on screen, the view counts and then the states mirror that answers
  // filters may load.
  const painted = loaded !== undefined
  useEffect(() => {
    if (!painted) return
    firstRows.mark()
    stateMirrorOf(db).startSoon()
  }, [painted, db])
  useEffect(() => {
    if (counted === undefined && loaded && firstWindow === null) {
      setFirstWindow(loaded.start + loaded.rows.length)
    }
  }, [counted, loaded, firstWindow])

  // A key press can land beyond the loaded rows; select once that row arrives.
  useEffect(() => {
    const wanted = pendingAt.current
    if (wanted === null || !loaded) return
    const row = loaded.rows[wanted - loaded.start]
    if (!row) return
    pendingAt.current = null
    select(row.mention.id)
  }, [loaded, select])

  const positionOf = useCallback(
    async (id: string) =>
      matched ? matched.indexOf(id) : queuePosition(db, spec.view, spec.sort, id),
    [db, matched, spec.view, spec.sort],
  )

  useEffect(() => {
    if (revealNonce === revealed.current || selectedId === null) return
    revealed.current = revealNonce
    if (selectedAt >= 0) return virtualizer.scrollToIndex(selectedAt, { align: 'auto' })
    // Not loaded here: ask where it sits, then scroll; the window follows.
    void positionOf(selectedId).then((position) => {
      if (position >= 0) virtualizer.scrollToIndex(position, { align: 'center' })
    })
  }, [revealNonce, selectedId, selectedAt, virtualizer, positionOf])

  // The row under the responder's eye never moves: the first row in view is the anchor; when a
  // newly loaded window puts it lower (rows arrived above), the view scrolls down by as many rows
  // before the paint, and a pill counts them until the responder goes to the top.
  const anchor = useRef<{ id: string; position: number } | null>(null)
  const setAnchor = (scrollTop: number) => {
    if (!loaded) return
    const position = Math.floor(scrollTop / ROW_HEIGHT)
    const row = loaded.rows[position - loaded.start]
    anchor.current = row ? { id: row.mention.id, position } : null
  }
  useLayoutEffect(() => {
    const body = scrollRef.current
    if (!loaded || !body) return
    const seen = anchor.current
    const found = seen ? loaded.rows.findIndex((row) => row.mention.id === seen.id) : -1
    if (!seen || found < 0) {
      setAnchor(body.scrollTop)
      return
    }
    const moved = loaded.start + found - seen.position
    if (moved > 0) {
      const target = body.scrollTop + moved * ROW_HEIGHT
      // A short list cannot scroll that far yet (its count may also land a moment later): room
      // below is kept until the responder goes back to the top.
      const spacer = spacerRef.current
      if (spacer) spacer.style.minHeight = `${target + body.clientHeight}px`
      body.scrollTop = target
      setFresh((n) => n + moved)
    }
    anchor.current = { id: seen.id, position: loaded.start + found }
    // Only a new window can move the anchor.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaded])

  const toTop = () => {
    setFresh(0)
    virtualizer.scrollToOffset(0)
    if (spacerRef.current) spacerRef.current.style.minHeight = ''
  }

  const onRowClick = useCallback(
    (id: string | undefined) => {
      if (id !== undefined) select(id)
      gridRef.current?.focus({ preventScroll: true })
    },
    [select],
  )

  const goTo = (position: number) => {
    virtualizer.scrollToIndex(position, { align: 'auto' })
    const row = rowAt(position)
    if (row) select(row.id)
    else pendingAt.current = position
  }

  useEffect(() => {
    apiRef.current = {
      move: (key) => {
        const next = nextPosition(key, selectedAt, lastAt.current, count)
        if (next !== null) goTo(next)
      },
      open: () => {
        if (selectedId === null) goTo(0)
        else document.getElementById('mention-details')?.focus()
      },
      focus: () => gridRef.current?.focus({ preventScroll: true }),
    }
  })

  // Arrows, Home and End move inside the grid; the letters are the workspace keymap's.
  const onKeyDown = useEffectEvent((event: KeyboardEvent) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return
    const inGrid = event.target instanceof Node && gridRef.current?.contains(event.target) === true
    if (!inGrid || !['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(event.key)) return
    const next = nextPosition(event.key, selectedAt, lastAt.current, count)
    if (next !== null) {
      event.preventDefault()
      goTo(next)
    }
  })

  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKeyDown(event)
    document.addEventListener('keydown', listener)
    return () => document.removeEventListener('keydown', listener)
  }, [])

  // Widths drag from the right edge of a header cell and are remembered.
  const startResize = (id: string, event: ReactPointerEvent<HTMLSpanElement>) => {
    event.preventDefault()
    event.stopPropagation()
    const cell = event.currentTarget.parentElement
    const from = event.clientX
    const width = cell?.getBoundingClientRect().width ?? 100
    let latest = columns
    const move = (next: PointerEvent) => {
      const size = Math.round(Math.min(1200, Math.max(40, width + next.clientX - from)))
      latest = { ...columns, widths: { ...columns.widths, [id]: size } }
      gridRef.current?.style.setProperty('--columns', columnTemplate(latest))
    }
    const up = () => {
      window.removeEventListener('pointermove', move)
      window.removeEventListener('pointerup', up)
      onColumnsChange(latest)
    }
    window.addEventListener('pointermove', move)
    window.addEventListener('pointerup', up)
  }

  const hiddenKey = columns.hidden.join(' ')
  const pool = slotPool(virtualizer.scrollRect?.height ?? 0, ROW_HEIGHT, OVERSCAN, items.length)
  const activeShown = selectedAt >= 0 && items.some((item) => item.index === selectedAt)
  return (
    <div
      ref={gridRef}
      id="queue-grid"
      className="grid"
      role="grid"
      aria-label="Mentions"
      aria-rowcount={count + 1}
      aria-multiselectable="true"
      aria-activedescendant={activeShown ? `mention-row-${selectedAt}` : undefined}
      tabIndex={0}
      style={
        {
          '--columns': columnTemplate(columns),
        } as CSSProperties
      }
    >
      <div className="grid__head" role="rowgroup">
        {table.getHeaderGroups().map((group) => (
          <div key={group.id} className="grid__row grid__row--head" role="row" aria-rowindex={1}>
            <div role="columnheader" className="cell cell--check">
              <span className="visually-hidden">Ticked</span>
            </div>
            {group.headers.map((header) => (
              <div key={header.id} role="columnheader" className={`cell cell--${header.id}`}>
                {flexRender(header.column.columnDef.header, header.getContext())}
                <span
                  className="resize"
                  aria-hidden="true"
                  title="Drag to resize"
                  onPointerDown={(event) => startResize(header.id, event)}
                />
              </div>
            ))}
          </div>
        ))}
      </div>
      {fresh > 0 ? (
        <button type="button" className="new-pill" onClick={toTop}>
          {fresh.toLocaleString()} new
        </button>
      ) : null}
      <div
        ref={scrollRef}
        className="grid__body"
        role="rowgroup"
        onScroll={(event) => {
          // Only while the pill shows: back at the top, it goes.
          if (fresh > 0 && event.currentTarget.scrollTop === 0) {
            setFresh(0)
            if (spacerRef.current) spacerRef.current.style.minHeight = ''
          }
        }}
      >
        <div
          ref={spacerRef}
          className="grid__spacer"
          style={{ height: virtualizer.getTotalSize() }}
        >
          {items.map((item) => {
            const row = rowAt(item.index)
            return (
              <MentionRow
                key={slotOf(item.index, pool)}
                position={item.index}
                top={item.start}
                row={row}
                hidden={hiddenKey}
                selected={row !== undefined && row.id === selectedId}
                checked={row !== undefined && checked.includes(row.id)}
                onSelect={onRowClick}
                onCheck={toggleChecked}
              />
            )
          })}
        </div>
      </div>
    </div>
  )
}
