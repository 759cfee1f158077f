import { useState } from 'react'
import { Dialog } from './Dialog'
import { snoozePresets, toLocalInput } from './snooze-times'

const count = (n: number) => (n === 1 ? '1 mention' : `${n} mentions`)

type SnoozeProps = { targets: number; onPick: (until: number) => void; onClose: () => void }

/** Until when: a few usual times, or a date and time of the responder's choosing. */
export function SnoozeDialog({ targets, onPick, onClose }: SnoozeProps) {
  const [now] = useState(() => Date.now())
  const [custom, setCustom] = useState(() => toLocalInput(now + 24 * 3_600_000))
  const [error, setError] = useState<string | null>(null)
  const pick = (until: number) => {
    onClose()
    onPick(until)
  }
  const pickCustom = () => {
    const until = new Date(custom).getTime()
    if (!Number.isFinite(until) || until <= Date.now()) {
      setError('Pick a time in the future.')
      return
    }
    pick(until)
  }
  return (
    <Dialog title={`Snooze ${count(targets)}`} onClose={onClose}>
      <div className="picker" role="group" aria-label="Snooze until">
        {snoozePresets(now).map((preset, index) => (
          <button
            key={preset.label}
            type="button"
            className="button picker__option"
            onClick={() => pick(preset.until)}
            data-autofocus={index === 0 ? true : undefined}
          >
            {preset.label}
          </button>
        ))}
      </div>
      <form
        className="picker__custom"
        onSubmit={(event) => {
          event.preventDefault()
          pickCustom()
        }}
      >
        <label className="field__label" htmlFor="snooze-until">
          Or until
        </label>
        <input
          id="snooze-until"
          className="input"
          type="datetime-local"
          value={custom}
          onChange={(event) => {
            setCustom(event.target.value)
            setError(null)
          }}
        />
        <button type="submit" className="button button--primary">
          Snooze
        </button>
      </form>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </Dialog>
  )
}

type RouteProps = {
  targets: number
  departments: readonly string[]
  onPick: (department: string) => void
  onClose: () => void
}

/** Which department: a number key or a click. The hand-off itself is sent from the routing task. */
export function RouteDialog({ targets, departments, onPick, onClose }: RouteProps) {
  const pick = (department: string) => {
    onClose()
    onPick(department)
  }
  return (
    <Dialog title={`Route ${count(targets)} to a department`} onClose={onClose}>
      <div
        className="picker picker--list"
        role="group"
        aria-label="Departments"
        onKeyDown={(event) => {
          const index = Number(event.key) - 1
          const department = departments[index]
          if (department !== undefined && !event.ctrlKey && !event.metaKey && !event.altKey) {
            event.preventDefault()
            pick(department)
          }
        }}
      >
        {departments.map((department, index) => (
          <button
            key={department}
            type="button"
            className="button picker__option"
            onClick={() => pick(department)}
            data-autofocus={index === 0 ? true : undefined}
          >
            <kbd>{index + 1}</kbd> {department}
          </button>
        ))}
      </div>
      <p className="dialog__note">
        The mentions wait in “Waiting on department” until you close the loop.
      </p>
    </Dialog>
  )
}
