import { useState } from 'react'
import { ChoiceSelect, plainChoices } from '../../components/ChoiceSelect'
import { AuthorChip, DateRangeFields } from '../../components/FilterFields'
import {
  intentChoices,
  sentimentChoices,
  sourceChoices,
  statusChoices,
} from '../../components/filter-choices'
import { WORDS_WINDOW, type FiltersPatch } from '../../db/queue-query'
import { selectFilters, selectSetFilters, selectSources } from '../../store/selectors'
import { useAppStore } from '../../store/use-app-store'

type Props = {
  departments: readonly string[]
  /** The phrase check stopped at WORDS_WINDOW candidates. */
  truncated: boolean
  onSave: (name: string) => void
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
        label="Source"
        any="Any source"
        value={filters.sourceId}
        choices={sourceChoices(sources)}
        onChange={(sourceId) => set({ sourceId })}
      />
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
      <ChoiceSelect
        label="Sentiment"
        any="Any sentiment"
        value={filters.sentiment}
        choices={sentimentChoices}
        onChange={(sentiment) => set({ sentiment })}
      />
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
      <ChoiceSelect
        label="Department"
        any="Any department"
        value={filters.department}
        choices={plainChoices(departments)}
        onChange={(department) => set({ department })}
      />
      <DateRangeFields from={filters.from} to={filters.to} onChange={set} />
      {filters.authorId !== undefined ? (
        <AuthorChip
          name={filters.authorName ?? filters.authorId}
          onClear={() => set({ authorId: undefined, authorName: undefined })}
        />
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
          Quoted phrases were checked in the first {WORDS_WINDOW.toLocaleString()} mentions holding
          their words; narrow by date or source to reach older ones.
        </p>
      ) : null}
    </div>
  )
}
