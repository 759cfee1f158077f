import { useId, useState, type FormEvent } from 'react'
import {
  notificationPolicySchema,
  type NotificationPolicy,
  type Severity,
  type SpikeThresholds,
} from '../../../../shared/alert-policy'
import { selectSources } from '../../store/selectors'
import { useAppStore } from '../../store/use-app-store'
import { useNotificationPolicy } from './use-notification-policy'

/** The spike thresholds' fields, row by row, with the bounds the policy schema accepts. */
const spikeRows: (Omit<NumberProps, 'value' | 'onChange'> & { key: keyof SpikeThresholds })[][] = [
  [
    { key: 'minCount', label: 'At least (mentions an hour)', min: 1, max: 100_000 },
    { key: 'ratio', label: 'Times the usual', min: 1.1, max: 100, step: 0.1 },
    { key: 'z', label: 'Or deviations above it', min: 1, max: 20, step: 0.1 },
  ],
  [
    {
      key: 'shareJumpPercent',
      label: 'Negative share jump (points)',
      hint: 'The share of negative mentions rising this far over its usual level.',
      min: 5,
      max: 100,
    },
    {
      key: 'coolDownMinutes',
      label: 'Quiet after a spike (minutes)',
      hint: 'The same alert on the same topic waits this long.',
      min: 5,
      max: 10_080,
    },
  ],
]

const severities: { severity: Severity; label: string; hint: string }[] = [
  { severity: 'urgent', label: 'Urgent mentions', hint: 'At or above the urgency threshold' },
  {
    severity: 'crisis',
    label: 'Crisis words',
    hint: 'Urgent mentions about legal, safety, health or security trouble',
  },
  { severity: 'spike', label: 'Spikes', hint: 'Volume or negativity far above the usual' },
  { severity: 'silence', label: 'Silent sources', hint: 'A source that stopped speaking' },
]

/** The Notifications screen: what may interrupt the responder, when, and how often. */
export function NotificationSettings() {
  const { load, retry, save } = useNotificationPolicy()
  return (
    <section className="page page--narrow" aria-labelledby="notifications-title">
      <header className="page__header">
        <h1 id="notifications-title" className="page__title">
          Notifications
        </h1>
        <p className="page__lead">
          What may interrupt you, and when. Everything that does not interrupt is summed up in the
          digest; the tray count always shows every open urgent mention.
        </p>
      </header>
      {load.kind === 'loading' ? (
        <p className="muted" aria-busy="true">
          Reading your notification settings…
        </p>
      ) : load.kind === 'error' ? (
        <div className="empty empty--inline">
          <h2 className="empty__title">Earshot could not read your notification settings</h2>
          <p className="empty__text">{load.message}</p>
          <button type="button" className="button" onClick={retry}>
            Try again
          </button>
        </div>
      ) : (
        <PolicyForm saved={load.policy} save={save} />
      )}
    </section>
  )
}

type FormProps = {
  saved: NotificationPolicy
  save: (policy: NotificationPolicy) => Promise<string | null>
}

function PolicyForm({ saved, save }: FormProps) {
  const sources = useAppStore(selectSources)
  const [draft, setDraft] = useState(saved)
  const [status, setStatus] = useState<
    { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'error'; message: string }
  >({ kind: 'idle' })
  const change = (next: NotificationPolicy) => {
    setDraft(next)
    if (status.kind !== 'saving') setStatus({ kind: 'idle' })
  }
  const changed = JSON.stringify(draft) !== JSON.stringify(saved)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const parsed = notificationPolicySchema.safeParse(draft)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      setStatus({ kind: 'error', message: issue?.message ?? 'Check the settings' })
      return
    }
    setStatus({ kind: 'saving' })
    const problem = await save(parsed.data)
    setStatus(problem === null ? { kind: 'saved' } : { kind: 'error', message: problem })
  }

  const number = (value: string) => (value.trim() === '' ? Number.NaN : Number(value))
  const off = !draft.enabled

  return (
    <form className="notify-form" onSubmit={(event) => void submit(event)} noValidate>
      <fieldset className="card notify-card">
        <legend className="card__title">Interruptions</legend>
        <Check
          label="Notify me"
          hint="Off: nothing interrupts, not even the digest."
          checked={draft.enabled}
          onChange={(enabled) => change({ ...draft, enabled })}
        />
        <NumberField
          label="Urgency threshold"
          hint="Mentions at or above this urgency (1–100) interrupt. Default 70."
          value={draft.urgencyThreshold}
          min={1}
          max={100}
          disabled={off}
          onChange={(value) => change({ ...draft, urgencyThreshold: number(value) })}
        />
      </fieldset>

      <fieldset className="card notify-card" disabled={off}>
        <legend className="card__title">Quiet hours</legend>
        <Check
          label="Keep quiet at night"
          hint="In this computer's local time. What arrives meanwhile waits for the digest."
          checked={draft.quietHours.enabled}
          onChange={(enabled) => change({ ...draft, quietHours: { ...draft.quietHours, enabled } })}
        />
        <div className="notify-row">
          <TimeField
            label="From"
            value={draft.quietHours.start}
            disabled={!draft.quietHours.enabled}
            onChange={(start) => change({ ...draft, quietHours: { ...draft.quietHours, start } })}
          />
          <TimeField
            label="Until"
            value={draft.quietHours.end}
            disabled={!draft.quietHours.enabled}
            onChange={(end) => change({ ...draft, quietHours: { ...draft.quietHours, end } })}
          />
        </div>
        <Check
          label="Crisis words still break through"
          hint="Legal threats, injuries, food poisoning, hacked accounts, data breaches."
          checked={draft.crisisBreaksThrough}
          disabled={!draft.quietHours.enabled}
          onChange={(crisisBreaksThrough) => change({ ...draft, crisisBreaksThrough })}
        />
      </fieldset>

      <fieldset className="card notify-card" disabled={off}>
        <legend className="card__title">What may interrupt</legend>
        <div className="notify-grid">
          {severities.map(({ severity, label, hint }) => (
            <Check
              key={severity}
              label={label}
              hint={hint}
              checked={draft.perSeverity[severity]}
              onChange={(on) =>
                change({ ...draft, perSeverity: { ...draft.perSeverity, [severity]: on } })
              }
            />
          ))}
        </div>
        <h3 className="notify-subhead">Sources</h3>
        {sources === null ? (
          <p className="muted">Asking Earshot for your sources…</p>
        ) : sources.length === 0 ? (
          <p className="muted">No sources yet.</p>
        ) : (
          <div className="notify-grid">
            {sources.map(({ config }) => (
              <Check
                key={config.id}
                label={config.name}
                checked={draft.perSource[config.id] !== false}
                onChange={(on) => {
                  const perSource = { ...draft.perSource }
                  // Only the exceptions are kept: a new source may interrupt.
                  if (on) delete perSource[config.id]
                  else perSource[config.id] = false
                  change({ ...draft, perSource })
                }}
              />
            ))}
          </div>
        )}
      </fieldset>

      <fieldset className="card notify-card" disabled={off}>
        <legend className="card__title">Repeats and digest</legend>
        <div className="notify-row">
          <NumberField
            label="Remind me every (minutes)"
            value={draft.repeat.everyMinutes}
            min={1}
            max={1440}
            onChange={(value) =>
              change({ ...draft, repeat: { ...draft.repeat, everyMinutes: number(value) } })
            }
          />
          <NumberField
            label="At most (times)"
            value={draft.repeat.maxTimes}
            min={0}
            max={20}
            onChange={(value) =>
              change({ ...draft, repeat: { ...draft.repeat, maxTimes: number(value) } })
            }
          />
        </div>
        <p className="field__hint">
          An urgent mention is notified again until you open it or mark it done. 0 never repeats.
        </p>
        <Check
          label="Send a digest of the rest"
          hint="How many mentions did not interrupt, and the three most urgent."
          checked={draft.digest.enabled}
          onChange={(enabled) => change({ ...draft, digest: { ...draft.digest, enabled } })}
        />
        <NumberField
          label="Digest every (minutes)"
          value={draft.digest.everyMinutes}
          min={5}
          max={1440}
          disabled={!draft.digest.enabled}
          onChange={(value) =>
            change({ ...draft, digest: { ...draft.digest, everyMinutes: number(value) } })
          }
        />
      </fieldset>

      <fieldset className="card notify-card" disabled={off || !draft.perSeverity.spike}>
        <legend className="card__title">Spikes</legend>
        <p className="field__hint">
          Each hour, every brand, product and competitor is compared with its usual count for that
          hour of the week.
        </p>
        {spikeRows.map((row, index) => (
          <div className="notify-row" key={index}>
            {row.map(({ key, ...field }) => (
              <NumberField
                key={key}
                {...field}
                value={draft.spikes[key]}
                onChange={(value) =>
                  change({ ...draft, spikes: { ...draft.spikes, [key]: number(value) } })
                }
              />
            ))}
          </div>
        ))}
      </fieldset>

      <div className="notify-actions">
        <button
          type="submit"
          className="button button--primary"
          disabled={!changed || status.kind === 'saving'}
        >
          {status.kind === 'saving' ? 'Saving…' : 'Save'}
        </button>
        {changed ? (
          <button type="button" className="button button--quiet" onClick={() => change(saved)}>
            Undo changes
          </button>
        ) : null}
        {status.kind === 'saved' ? (
          <p className="form-ok" role="status">
            Saved. It applies to the next mention heard.
          </p>
        ) : status.kind === 'error' ? (
          <p className="form-error" role="alert">
            {status.message}
          </p>
        ) : null}
      </div>
    </form>
  )
}

type CheckProps = {
  label: string
  hint?: string
  checked: boolean
  disabled?: boolean
  onChange: (checked: boolean) => void
}

function Check({ label, hint, checked, disabled, onChange }: CheckProps) {
  const id = useId()
  return (
    <div className="notify-check">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        disabled={disabled}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(event) => onChange(event.target.checked)}
      />
      <span>
        <label className="notify-check__label" htmlFor={id}>
          {label}
        </label>
        {hint ? (
          <span id={`${id}-hint`} className="notify-check__hint">
            {hint}
          </span>
        ) : null}
      </span>
    </div>
  )
}

type NumberProps = {
  label: string
  hint?: string
  value: number
  min: number
  max: number
  /** 1 (the default) asks for a whole number. */
  step?: number
  disabled?: boolean
  onChange: (value: string) => void
}

function NumberField({ label, hint, value, min, max, step = 1, disabled, onChange }: NumberProps) {
  const id = useId()
  const whole = step === 1
  const invalid =
    !(whole ? Number.isInteger(value) : Number.isFinite(value)) || value < min || value > max
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className="input input--short"
        type="number"
        inputMode={whole ? 'numeric' : 'decimal'}
        min={min}
        max={max}
        step={step}
        value={Number.isNaN(value) ? '' : value}
        disabled={disabled}
        aria-invalid={invalid}
        onChange={(event) => onChange(event.target.value)}
      />
      {hint ? <span className="field__hint">{hint}</span> : null}
    </div>
  )
}

type TimeProps = {
  label: string
  value: string
  disabled?: boolean
  onChange: (value: string) => void
}

function TimeField({ label, value, disabled, onChange }: TimeProps) {
  const id = useId()
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className="input input--short"
        type="time"
        value={value}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  )
}
