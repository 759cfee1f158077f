import { flexRender, getCoreRowModel, useReactTable, type Row } from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useCallback, useEffect, useRef, type KeyboardEvent } from 'react'
import { URGENT_AT } from '../../../../shared/domain'
import { setStatus } from '../../db/actions'
import { queuePosition, type QueueRow } from '../../db/queue-query'
import { useServices } from '../../services'
import { selectRevealNonce, selectSelect, selectSelectedId } from '../../store/selectors'
import { useAppStore } from '../../store/use-app-store'
import type { QueueFilter, QueueSort } from '../../store/view-slice'
import { queueColumns } from './columns'
import { nextPosition } from './grid-keys'
import { useQueueWindow } from './use-queue'

const ROW_HEIGHT = 40
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

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return
    const next = nextPosition(event.key, selectedAt, lastAt.current, count)
    if (next !== null) {
      event.preventDefault()
      goTo(next)
    } else if (event.key === 'Enter') {
      event.preventDefault()
      if (selectedId === null) goTo(0)
      else document.getElementById('mention-details')?.focus()
    } else if (event.key === 'e' && selectedId !== null) {
      void setStatus(db, selectedId, 'toggle')
    }
  }

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
      onKeyDown={onKeyDown}
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

type MentionRowProps = {
  position: number
  top: number
  row: Row<QueueRow> | undefined
  selected: boolean
  onSelect: (id: string | undefined) => void
}

/** Memoized: moving the selection re-renders two rows, not the whole window. */
const MentionRow = memo(function MentionRow({
  position,
  top,
  row,
  selected,
  onSelect,
}: MentionRowProps) {
  const state = row?.original.state
  const urgent = state !== undefined && state.urgency >= URGENT_AT && state.status !== 'done'
  const classes = [
    'grid__row',
    selected && 'is-selected',
    urgent && 'is-urgent',
    state?.status === 'done' && 'is-done',
  ]
  return (
    <div
      id={`mention-row-${position}`}
      className={classes.filter(Boolean).join(' ')}
      role="row"
      aria-rowindex={position + 2}
      aria-selected={selected}
      aria-busy={row === undefined}
      data-mention-id={row?.id}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
      onClick={() => onSelect(row?.id)}
    >
      {row ? (
        row.getVisibleCells().map((cell) => (
          <div key={cell.id} role="gridcell" className={`cell cell--${cell.column.id}`}>
            {flexRender(cell.column.columnDef.cell, cell.getContext())}
          </div>
        ))
      ) : (
        <div role="gridcell" className="cell cell--loading" aria-colspan={queueColumns.length}>
          <span className="skeleton" />
        </div>
      )}
    </div>
  )
})
