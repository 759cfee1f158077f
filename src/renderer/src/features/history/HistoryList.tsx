import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useRef } from 'react'
import { RelativeTime } from '../../components/RelativeTime'
import { SourceLabel } from '../../components/SourceLabel'
import { intentLabel } from '../../components/format'
import { statusWords } from '../../db/actions'
import type { HistoryRow } from '../../db/history-query'
import { useRows } from './use-history'

export const HISTORY_ROW_HEIGHT = 64
/** Rows are read in chunks around the viewport. */
const CHUNK = 40

type Props = {
  ids: readonly string[]
  selectedId: string | null
  onSelect: (id: string) => void
  label: string
}

/** The results, virtualized: only the rows near the viewport are read and rendered. */
export function HistoryList({ ids, selectedId, onSelect, label }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null)
  // We do not run the React Compiler; the virtualizer's methods are read fresh on every render.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => HISTORY_ROW_HEIGHT,
    overscan: 8,
  })
  const items = virtualizer.getVirtualItems()
  const start = Math.max(0, (Math.floor((items[0]?.index ?? 0) / CHUNK) - 1) * CHUNK)
  const end = Math.min(ids.length, (Math.floor((items.at(-1)?.index ?? 0) / CHUNK) + 2) * CHUNK)
  const windowIds = ids.slice(start, end)
  const rows = useRows(windowIds)
  const byId = new Map(rows?.map((row) => [row.mention.id, row]))

  return (
    <div ref={scrollRef} className="history__list" role="list" aria-label={label}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const id = ids[item.index]!
          return (
            <HistoryItem
              key={id}
              id={id}
              top={item.start}
              row={byId.get(id)}
              selected={id === selectedId}
              onSelect={onSelect}
            />
          )
        })}
      </div>
    </div>
  )
}

type ItemProps = {
  id: string
  top: number
  row: HistoryRow | undefined
  selected: boolean
  onSelect: (id: string) => void
}

const HistoryItem = memo(function HistoryItem({ id, top, row, selected, onSelect }: ItemProps) {
  const mention = row?.mention
  return (
    <div
      role="listitem"
      className={selected ? 'history__item is-selected' : 'history__item'}
      style={{ transform: `translateY(${top}px)`, height: HISTORY_ROW_HEIGHT }}
      data-mention-id={id}
    >
      <button
        type="button"
        className="history__hit"
        aria-current={selected ? 'true' : undefined}
        aria-busy={mention === undefined}
        onClick={() => onSelect(id)}
      >
        {mention ? (
          <>
            <span className="history__meta">
              <strong className="history__author">{mention.author.name}</strong>
              <SourceLabel mention={mention} />
              <RelativeTime at={mention.createdAt} short />
              {row?.state ? (
                <span className={`pill pill--${row.state.status}`}>
                  {statusWords[row.state.status]}
                </span>
              ) : null}
              <span className="history__intent">
                {intentLabel(mention.triage.intent ?? 'other')}
              </span>
            </span>
            <span className="history__text">
              {mention.title ? <strong>{mention.title} — </strong> : null}
              {mention.text}
            </span>
          </>
        ) : (
          <span className="skeleton" />
        )}
      </button>
    </div>
  )
})
