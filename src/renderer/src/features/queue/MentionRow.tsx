import { flexRender, type Row } from '@tanstack/react-table'
import { memo, useLayoutEffect, useRef } from 'react'
import type { QueueRow } from '../../db/queue-query'
import { queueColumns } from './columns'

export const ROW_HEIGHT = 40

type MentionRowProps = {
  position: number
  top: number
  row: Row<QueueRow> | undefined
  /** The hidden columns, joined: a change re-renders the row's cells. */
  hidden: string
  selected: boolean
  checked: boolean
  onSelect: (id: string | undefined) => void
  onCheck: (id: string) => void
}

/**
 * A row renders again only when what it shows changes. The table builds a new Row object for every
 * window it is given, so rows compare by the data behind them (kept as the same object while it is
 * unchanged: stable-rows.ts): moving the selection re-renders two rows, and a window read while
 * scrolling renders only the rows it brings into view.
 */
function sameRowProps(before: MentionRowProps, after: MentionRowProps): boolean {
  return (
    before.row?.original === after.row?.original &&
    before.row?.id === after.row?.id &&
    before.position === after.position &&
    before.top === after.top &&
    before.hidden === after.hidden &&
    before.selected === after.selected &&
    before.checked === after.checked &&
    before.onSelect === after.onSelect &&
    before.onCheck === after.onCheck
  )
}

export const MentionRow = memo(function MentionRow({
  position,
  top,
  row,
  selected,
  checked,
  onSelect,
  onCheck,
}: MentionRowProps) {
  // The elements are reused for another mention as the grid scrolls (row-slots.ts): a tick box
  // focused by a click must not stay focused under the mention that takes its place.
  const element = useRef<HTMLDivElement>(null)
  const id = row?.id
  useLayoutEffect(() => {
    const focused = document.activeElement
    if (
      focused instanceof HTMLElement &&
      focused !== element.current &&
      element.current?.contains(focused)
    ) {
      focused.closest<HTMLElement>('[role="grid"]')?.focus({ preventScroll: true })
    }
  }, [id])
  const state = row?.original.state
  const urgent = state !== undefined && state.urgent === 1
  const classes = [
    'grid__row',
    selected && 'is-selected',
    checked && 'is-checked',
    urgent && 'is-urgent',
    state?.status === 'done' && 'is-done',
  ]
  return (
    <div
      ref={element}
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
        <>
          <div role="gridcell" className="cell cell--check">
            <input
              type="checkbox"
              tabIndex={-1}
              checked={checked}
              aria-label={`Tick ${row.original.mention.author.name}'s mention`}
              onClick={(event) => event.stopPropagation()}
              onChange={() => onCheck(row.id)}
            />
          </div>
          {row.getVisibleCells().map((cell) => (
            // By column, not by cell id (which names the mention): a reused row keeps its cells.
            <div key={cell.column.id} role="gridcell" className={`cell cell--${cell.column.id}`}>
              {flexRender(cell.column.columnDef.cell, cell.getContext())}
            </div>
          ))}
        </>
      ) : (
        <div role="gridcell" className="cell cell--loading" aria-colspan={queueColumns.length + 1}>
          <span className="skeleton" />
        </div>
      )}
    </div>
  )
}, sameRowProps)
