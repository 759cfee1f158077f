import { MAX_INTERVAL_SEC, MIN_INTERVAL_SEC } from '../../../../shared/domain'

/** "Check every (minutes)": the interval field of the add and edit forms, within main's bounds. */
export function IntervalField({
  id,
  minutes,
  onChange,
}: {
  id: string
  minutes: string
  onChange: (minutes: string) => void
}) {
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        Check every (minutes)
      </label>
      <input
        id={id}
        className="input input--short"
        type="number"
        min={MIN_INTERVAL_SEC / 60}
        max={MAX_INTERVAL_SEC / 60}
        value={minutes}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  )
}
