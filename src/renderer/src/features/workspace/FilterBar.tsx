import { useState } from 'react'
import { intentSchema, sentimentLabelSchema } from '../../../../shared/domain'
import { intentLabel, sentimentLabel } from '../../components/format'
import { statusWords } from '../../db/actions'
import { RESPONDER_STATUSES } from '../../db/database'
import { WORDS_WINDOW, type FiltersPatch, type QueueFilters } from '../../db/queue-query'
import { selectFilters, selectSetFilters, selectSources } from '../../store/selectors'
import { useAppStore } from '../../store/use-app-store'

type Props = {
  departments: readonly string[]
  /** The word search stopped at WORDS_WINDOW candidates. */
  truncated: boolean
  onSave: (name: string) => void
}

const dayStart = (value: string) => (value ? new Date(`${value}T00:00`).getTime() : undefined)
const dayEnd = (value: string) => (value ? new Date(`${value}T23:59:59.999`).getTime() : undefined)
const toDay = (at: number | undefined) => {
  if (at === undefined) return ''
  const date = new Date(at)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

/** Narrowing the current view: words, then one select per field. */
export function FilterBar({ departments, truncated, onSave }: Props) {
  const filters = useAppStore(selectFilters)
  const setFilters = useAppStore(selectSetFilters)
  const sources = useAppStore(selectSources)
  const [naming, setNaming] = useState<string | null>(null)
  const set = (patch: FiltersPatch) => setFilters(patch)
  const active = Object.keys(filters).filter((key) => key !== 'authorName').length

  return (
    <div className="filters" role="search" aria-label="Filter the queue">
      <input
        id="queue-search"
        className="input filters__words"
        type="search"
        aria-label="Words"
        placeholder="Search words  /"
        value={filters.words ?? ''}
        onChange={(event) => set({ words: event.target.value || undefined })}
        onKeyDown={(event) => {
          if (event.key === 'Enter' || event.key === 'Escape') {
            event.preventDefault()
            document.getElementById('queue-grid')?.focus()
          }
        }}
      />
      <select
        aria-label="Status"
        value={filters.status ?? ''}
        onChange={(event) =>
          set({ status: (event.target.value || undefined) as QueueFilters['status'] })
        }
      >
        <option value="">Any status</option>
        {RESPONDER_STATUSES.map((status) => (
          <option key={status} value={status}>
            {statusWords[status]}
          </option>
        ))}
      </select>
      <select
        aria-label="Intent"
        value={filters.intent ?? ''}
        onChange={(event) =>
          set({ intent: (event.target.value || undefined) as QueueFilters['intent'] })
        }
      >
        <option value="">Any intent</option>
        {intentSchema.options.map((intent) => (
          <option key={intent} value={intent}>
            {intentLabel(intent)}
          </option>
        ))}
      </select>
      <select
        aria-label="Source"
        value={filters.sourceId ?? ''}
        onChange={(event) => set({ sourceId: event.target.value || undefined })}
      >
        <option value="">Any source</option>
        {(sources ?? []).map((source) => (
          <option key={source.config.id} value={source.config.id}>
            {source.config.name}
          </option>
        ))}
      </select>
      <select
        aria-label="Heard as"
        value={filters.directed === undefined ? '' : filters.directed ? 'directed' : 'overheard'}
        onChange={(event) =>
          set({
            directed: event.target.value === '' ? undefined : event.target.value === 'directed',
          })
        }
      >
        <option value="">Directed or overheard</option>
        <option value="directed">Directed</option>
        <option value="overheard">Overheard</option>
      </select>
      <select
        aria-label="Sentiment"
        value={filters.sentiment ?? ''}
        onChange={(event) =>
          set({ sentiment: (event.target.value || undefined) as QueueFilters['sentiment'] })
        }
      >
        <option value="">Any sentiment</option>
        {sentimentLabelSchema.options.map((label) => (
          <option key={label} value={label}>
            {sentimentLabel(label)}
          </option>
        ))}
      </select>
      <label className="filters__number">
        Urgency ≥
        <input
          className="input input--tiny"
          type="number"
          min={0}
          max={100}
          aria-label="Urgency at least"
          value={filters.urgencyAtLeast ?? ''}
          onChange={(event) => {
            const value = event.target.value === '' ? undefined : Number(event.target.value)
            set({
              urgencyAtLeast:
                value === undefined || !Number.isFinite(value)
                  ? undefined
                  : Math.min(100, Math.max(0, Math.round(value))),
            })
          }}
        />
      </label>
      <select
        aria-label="Department"
        value={filters.department ?? ''}
        onChange={(event) => set({ department: event.target.value || undefined })}
      >
        <option value="">Any department</option>
        {departments.map((department) => (
          <option key={department} value={department}>
            {department}
          </option>
        ))}
      </select>
      <label className="filters__date">
        From
        <input
          className="input"
          type="date"
          aria-label="From date"
          value={toDay(filters.from)}
          onChange={(event) => set({ from: dayStart(event.target.value) })}
        />
      </label>
      <label className="filters__date">
        To
        <input
          className="input"
          type="date"
          aria-label="To date"
          value={toDay(filters.to)}
          onChange={(event) => set({ to: dayEnd(event.target.value) })}
        />
      </label>
      {filters.authorId !== undefined ? (
        <span className="chip">
          By {filters.authorName ?? filters.authorId}
          <button
            type="button"
            className="chip__clear"
            aria-label="Clear the author filter"
            onClick={() => set({ authorId: undefined, authorName: undefined })}
          >
            ×
          </button>
        </span>
      ) : null}
      {active > 0 ? (
        <button
          type="button"
          className="button button--quiet button--small"
          onClick={() => setFilters({}, { replace: true })}
        >
          Clear filters
        </button>
      ) : null}
      {naming === null ? (
        <button
          type="button"
          className="button button--small"
          onClick={() => setNaming('')}
          disabled={active === 0}
          title={active === 0 ? 'Set a filter first' : undefined}
        >
          Save view
        </button>
      ) : (
        <form
          className="filters__save"
          onSubmit={(event) => {
            event.preventDefault()
            if (naming.trim() === '') return
            onSave(naming.trim())
            setNaming(null)
          }}
        >
          <input
            className="input"
            type="text"
            aria-label="View name"
            placeholder="Name this view"
            maxLength={60}
            value={naming}
            autoFocus
            onChange={(event) => setNaming(event.target.value)}
            onKeyDown={(event) => event.key === 'Escape' && setNaming(null)}
          />
          <button type="submit" className="button button--small button--primary">
            Save
          </button>
        </form>
      )}
      {truncated ? (
        <p className="filters__note" role="status">
          Words were searched in the first {WORDS_WINDOW.toLocaleString()} mentions the other
          filters left; narrow by date or source to reach older ones.
        </p>
      ) : null}
    </div>
  )
}
