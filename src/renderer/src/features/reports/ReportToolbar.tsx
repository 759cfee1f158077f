import { useId } from 'react'
import { DEFAULT_MINUTES_PER_CONVERSATION } from './compute/types'
import { weekdayName } from './format'
import type { RangePreset, ReportPrefs } from './report-prefs'

const presets: { preset: RangePreset; label: string }[] = [
  { preset: 7, label: '7 days' },
  { preset: 30, label: '30 days' },
  { preset: 90, label: '90 days' },
  { preset: 'custom', label: 'Custom' },
]

// Monday first, as a working week reads.
const weekOrder = [1, 2, 3, 4, 5, 6, 0]
const hourOptions = Array.from({ length: 25 }, (_, hour) => hour)

type Props = {
  prefs: ReportPrefs
  onChange: (prefs: ReportPrefs) => void
  onExport: (() => void) | null
  onPrint: (() => void) | null
}

/** Range, business hours, pace, export and print. */
export function ReportToolbar({ prefs, onChange, onExport, onPrint }: Props) {
  const id = useId()
  const set = (patch: Partial<ReportPrefs>) => onChange({ ...prefs, ...patch })
  const toggleDay = (day: number) => {
    const days = prefs.hours.days.includes(day)
      ? prefs.hours.days.filter((other) => other !== day)
      : [...prefs.hours.days, day].sort()
    set({ hours: { ...prefs.hours, days } })
  }
  return (
    <div className="report-toolbar">
      <div className="segmented" role="group" aria-label="Date range">
        {presets.map((entry) => (
          <button
            key={entry.preset}
            type="button"
            className="segmented__option"
            aria-pressed={prefs.preset === entry.preset}
            onClick={() => set({ preset: entry.preset })}
          >
            {entry.label}
          </button>
        ))}
      </div>
      {prefs.preset === 'custom' ? (
        <div className="report-toolbar__dates">
          <label className="report-toolbar__field">
            From
            <input
              type="date"
              className="input input--short"
              value={prefs.customFrom}
              max={prefs.customTo}
              onChange={(event) => event.target.value && set({ customFrom: event.target.value })}
            />
          </label>
          <label className="report-toolbar__field">
            To
            <input
              type="date"
              className="input input--short"
              value={prefs.customTo}
              min={prefs.customFrom}
              onChange={(event) => event.target.value && set({ customTo: event.target.value })}
            />
          </label>
        </div>
      ) : null}
      <details className="report-settings">
        <summary className="button button--small">Business hours and pace</summary>
        <div className="report-settings__panel">
          <fieldset className="report-settings__days">
            <legend>Working days</legend>
            {weekOrder.map((day) => (
              <label key={day} className="report-settings__day">
                <input
                  type="checkbox"
                  checked={prefs.hours.days.includes(day)}
                  onChange={() => toggleDay(day)}
                />
                {weekdayName(day)}
              </label>
            ))}
          </fieldset>
          <div className="report-settings__hours">
            <label htmlFor={`${id}-start`}>From</label>
            <select
              id={`${id}-start`}
              className="input input--short"
              value={prefs.hours.startHour}
              onChange={(event) => {
                const startHour = Number(event.target.value)
                const endHour = Math.max(prefs.hours.endHour, startHour + 1)
                set({ hours: { ...prefs.hours, startHour, endHour } })
              }}
            >
              {hourOptions.slice(0, 24).map((hour) => (
                <option key={hour} value={hour}>{`${hour}:00`}</option>
              ))}
            </select>
            <label htmlFor={`${id}-end`}>to</label>
            <select
              id={`${id}-end`}
              className="input input--short"
              value={prefs.hours.endHour}
              onChange={(event) =>
                set({ hours: { ...prefs.hours, endHour: Number(event.target.value) } })
              }
            >
              {hourOptions.slice(prefs.hours.startHour + 1).map((hour) => (
                <option key={hour} value={hour}>{`${hour}:00`}</option>
              ))}
            </select>
          </div>
          <p className="field__hint">
            First-response times count only these hours: a complaint on Friday evening answered on
            Monday morning waited the working hours between.
          </p>
          <div className="report-settings__pace">
            <label>
              <input
                type="radio"
                name={`${id}-pace`}
                checked={prefs.minutes === 'measured'}
                onChange={() => set({ minutes: 'measured' })}
              />
              Minutes per conversation measured from your own actions (
              {DEFAULT_MINUTES_PER_CONVERSATION} until there are enough)
            </label>
            <label>
              <input
                type="radio"
                name={`${id}-pace`}
                checked={prefs.minutes !== 'measured'}
                onChange={() => set({ minutes: DEFAULT_MINUTES_PER_CONVERSATION })}
              />
              Set by hand:
              <input
                type="number"
                className="input input--short"
                min={1}
                max={600}
                aria-label="Minutes per conversation"
                value={
                  prefs.minutes === 'measured' ? DEFAULT_MINUTES_PER_CONVERSATION : prefs.minutes
                }
                disabled={prefs.minutes === 'measured'}
                onChange={(event) => {
                  const minutes = Number(event.target.value)
                  if (minutes >= 1 && minutes <= 600) set({ minutes })
                }}
              />
              minutes
            </label>
          </div>
        </div>
      </details>
      <div className="report-toolbar__end">
        <button
          type="button"
          className="button button--small"
          disabled={!onExport}
          onClick={onExport ?? undefined}
        >
          Export CSV
        </button>
        <button
          type="button"
          className="button button--small"
          disabled={!onPrint}
          onClick={onPrint ?? undefined}
        >
          Print or save as PDF
        </button>
      </div>
    </div>
  )
}
