import { flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useCallback, useEffect, useEffectEvent, useRef } from 'react'
import { setStatus } from '../../db/actions'
import { queuePosition, type QueueRow } from '../../db/queue-query'
import { useServices } from '../../services'
import { selectRevealNonce, selectSelect, selectSelectedId } from '../../store/selectors'
import { useAppStore } from '../../store/use-app-store'
import type { QueueFilter, QueueSort } from '../../store/view-slice'
import { queueColumns } from './columns'
import { isTyping, nextPosition } from './grid-keys'
import { MentionRow, ROW_HEIGHT } from './MentionRow'
import { useQueueWindow } from './use-queue'

/** Rows are read in chunks around the viewport, not one query per scroll step. */
const CHUNK = 50
const EMPTY: QueueRow[] = []

type Props = { filter: QueueFilter; sort: QueueSort; count: number }

/** The virtualized queue: only a window of rows near the viewport is read and rendered. */
export function MentionGrid({ filter, sort, count }: Props) {
  const { db } = useServices()
  const selectedId = useAppStore(selectSelectedId)
  const revealNonce = useAppStore(selectRevealNonce)
  const select = useAppStore(selectSelect)
  const gridRef = useRef<HTMLDivElement>(null)
  const scrollRef = useRef<HTMLDivElement>(null)
  const lastAt = useRef(0)
  const pendingAt = useRef<number | null>(null)
  const revealed = useRef(0)

  // We do not run the React Compiler; the virtualizer's methods are read fresh on every render.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  })
  const items = virtualizer.getVirtualItems()
  const start = Math.max(0, (Math.floor((items[0]?.index ?? 0) / CHUNK) - 1) * CHUNK)
  const end = (Math.floor((items.at(-1)?.index ?? 0) / CHUNK) + 2) * CHUNK
  const loaded = useQueueWindow(filter, sort, start, end - start)

  const table = useReactTable({
    data: loaded?.rows ?? EMPTY,
    columns: queueColumns,
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

  // A key press can land beyond the loaded rows; select once that row arrives.
  useEffect(() => {
    const wanted = pendingAt.current
    if (wanted === null || !loaded) return
    const row = loaded.rows[wanted - loaded.start]
    if (!row) return
    pendingAt.current = null
    select(row.mention.id)
  }, [loaded, select])

  useEffect(() => {
    if (revealNonce === revealed.current || selectedId === null) return
    revealed.current = revealNonce
    if (selectedAt >= 0) return virtualizer.scrollToIndex(selectedAt, { align: 'auto' })
    // Not loaded here: ask the index where it sits, then scroll; the window follows.
    void queuePosition(db, filter, sort, selectedId).then((position) => {
      if (position >= 0) virtualizer.scrollToIndex(position, { align: 'center' })
    })
  }, [revealNonce, selectedId, selectedAt, virtualizer, db, filter, sort])

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

  // j, k and e work from anywhere on the queue screen except while typing, so the responder can
  // mark done in the panel and move on; arrows, Home, End and Enter only inside the grid.
  const onKeyDown = useEffectEvent((event: KeyboardEvent) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return
    if (isTyping(event.target)) return
    const inGrid = event.target instanceof Node && gridRef.current?.contains(event.target) === true
    if (!inGrid && !['j', 'k', 'e'].includes(event.key)) return
    const next = nextPosition(event.key, selectedAt, lastAt.current, count)
    if (next !== null) {
      event.preventDefault()
      goTo(next)
    } else if (event.key === 'Enter') {
      event.preventDefault()
      if (selectedId === null) goTo(0)
      else document.getElementById('mention-details')?.focus()
    } else if (event.key === 'e' && selectedId !== null) {
      event.preventDefault()
      void setStatus(db, selectedId, 'toggle')
    }
  })

  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKeyDown(event)
    document.addEventListener('keydown', listener)
    return () => document.removeEventListener('keydown', listener)
  }, [])

  const activeShown = selectedAt >= 0 && items.some((item) => item.index === selectedAt)
  return (
    <div
      ref={gridRef}
      id="queue-grid"
      className="grid"
      role="grid"
      aria-label="Mentions"
      aria-rowcount={count + 1}
      aria-activedescendant={activeShown ? `mention-row-${selectedAt}` : undefined}
      tabIndex={0}
    >
      <div className="grid__head" role="rowgroup">
        {table.getHeaderGroups().map((group) => (
          <div key={group.id} className="grid__row grid__row--head" role="row" aria-rowindex={1}>
            {group.headers.map((header) => (
              <div key={header.id} role="columnheader" className={`cell cell--${header.id}`}>
                {flexRender(header.column.columnDef.header, header.getContext())}
              </div>
            ))}
          </div>
        ))}
      </div>
      <div ref={scrollRef} className="grid__body" role="rowgroup">
        <div className="grid__spacer" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rowAt(item.index)
            return (
              <MentionRow
                key={item.index}
                position={item.index}
                top={item.start}
                row={row}
                selected={row !== undefined && row.id === selectedId}
                onSelect={onRowClick}
              />
            )
          })}
        </div>
      </div>
    </div>
  )
}
