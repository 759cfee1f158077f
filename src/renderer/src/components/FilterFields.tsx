import { dayEnd, dayStart, toDay } from './day-input'

/* Filter fields the queue and History both show, built once so they read and behave alike. */

type Range = { from?: number | undefined; to?: number | undefined }

/** A date range by local day: from the first millisecond of `from` to the last of `to`. */
export function DateRangeFields({
  from,
  to,
  onChange,
}: Range & { onChange: (patch: Range) => void }) {
  return (
    <>
      <DayField
        text="From"
        label="From date"
        at={from}
        onDay={(day) => onChange({ from: dayStart(day) })}
      />
      <DayField text="to" label="To date" at={to} onDay={(day) => onChange({ to: dayEnd(day) })} />
    </>
  )
}

function DayField(props: {
  text: string
  label: string
  at: number | undefined
  onDay: (day: string) => void
}) {
  return (
    <label className="filters__date">
      {props.text}
      <input
        className="input"
        type="date"
        aria-label={props.label}
        value={toDay(props.at)}
        onChange={(event) => props.onDay(event.target.value)}
      />
    </label>
  )
}

/** The author a list is narrowed to, with the button that lets any author through again. */
export function AuthorChip({ name, onClear }: { name: string; onClear: () => void }) {
  return (
    <span className="chip">
      By {name}
      <button
        type="button"
        className="chip__clear"
        aria-label="Clear the author filter"
        onClick={onClear}
      >
        ×
      </button>
    </span>
  )
}
