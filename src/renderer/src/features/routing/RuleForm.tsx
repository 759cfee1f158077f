import { useId, useState, type FormEvent, type ReactNode } from 'react'
import type { SourceView } from '../../../../shared/domain'
import { ROUTABLE_PLATFORMS, type Department, type RoutingRule } from '../../../../shared/routing'
import { kindLabel } from '../sources/source-labels'
import {
  draftFromRule,
  emptyRuleDraft,
  INTENTS,
  ruleFromDraft,
  SENTIMENTS,
  SUGGESTED_TEMPLATES,
  type FormErrors,
  type RuleDraft,
  type RuleField,
} from './rule-form'

type Props = {
  /** The rule being edited, or null for a new one. */
  rule: RoutingRule | null
  rules: readonly RoutingRule[]
  departments: readonly Department[]
  sources: readonly SourceView[]
  busy: boolean
  onSave: (rule: RoutingRule) => void
  onCancel: () => void
}

const PLATFORM_LABELS: Record<string, string> = {
  demo: 'Demo',
  rss: 'Feeds (RSS / Atom)',
  hn: 'Hacker News',
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
  reddit: 'Reddit',
}

/** Adds or edits one rule: its conditions, its actions, and whether later rules still run. */
export function RuleForm({ rule, rules, departments, sources, busy, onSave, onCancel }: Props) {
  const [draft, setDraft] = useState<RuleDraft>(() =>
    rule ? draftFromRule(rule) : emptyRuleDraft(),
  )
  const [errors, setErrors] = useState<FormErrors<RuleField>>({})
  const id = useId()
  const set = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) =>
    setDraft((current) => ({ ...current, [key]: value }))
  const toggle = <K extends 'intent' | 'sentiment' | 'sources' | 'alsoTo'>(
    key: K,
    value: RuleDraft[K][number],
  ) =>
    setDraft((current) => {
      const list = current[key] as string[]
      const next = list.includes(value) ? list.filter((v) => v !== value) : [...list, value]
      return { ...current, [key]: next }
    })

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const checked = ruleFromDraft(draft, rule?.id ?? null, rules, departments)
    if (!checked.ok) return setErrors(checked.errors)
    setErrors({})
    onSave(checked.value)
  }

  const fieldId = (name: string) => `${id}-${name}`
  const errorOf = (name: RuleField) =>
    errors[name] ? (
      <p id={fieldId(`${name}-error`)} className="form-error">
        {errors[name]}
      </p>
    ) : null
  /** A control's id and its link to its error, for `Field`. */
  const control = (name: RuleField | 'directed') => ({
    id: fieldId(name),
    ...(name === 'directed'
      ? {}
      : {
          'aria-invalid': errors[name] !== undefined,
          'aria-describedby': errors[name] ? fieldId(`${name}-error`) : undefined,
        }),
  })
  const shell = (name: RuleField | 'directed', label: string, hint?: string) => ({
    id: fieldId(name),
    label,
    hint,
    error: name === 'directed' ? null : errorOf(name),
  })
  const sourceChoices: { value: string; label: string }[] = [
    ...ROUTABLE_PLATFORMS.filter(
      (platform) => platform !== 'demo' || sources.some((source) => source.config.kind === 'demo'),
    ).map((platform) => ({ value: platform, label: PLATFORM_LABELS[platform] ?? platform })),
    ...sources
      .filter((source) => source.config.kind !== 'demo')
      .map((source) => ({
        value: source.config.id,
        label: `${source.config.name} (${kindLabel(source.config)})`,
      })),
    // A source removed since the rule was written stays visible so it can be unticked.
    ...draft.sources
      .filter(
        (value) =>
          !(ROUTABLE_PLATFORMS as readonly string[]).includes(value) &&
          !sources.some((source) => source.config.id === value),
      )
      .map((value) => ({ value, label: `${value} (removed source)` })),
  ]
  const hasErrors = Object.keys(errors).length > 0

  return (
    <form
      className="card rule-form"
      aria-label={rule ? `Edit rule ${rule.name}` : 'New rule'}
      noValidate
      onSubmit={submit}
    >
      <h3 className="card__title">{rule ? `Edit “${rule.name}”` : 'New rule'}</h3>
      {hasErrors ? (
        <p className="form-error" role="alert">
          The rule was not saved:{' '}
          {Object.values(errors).length === 1 ? 'one thing needs' : 'some things need'} your
          attention below.
        </p>
      ) : null}
      <Field {...shell('name', 'Rule name')}>
        <input
          {...control('name')}
          className="input"
          value={draft.name}
          placeholder="e.g. Refund requests"
          onChange={(event) => set('name', event.target.value)}
        />
      </Field>

      <fieldset className="rule-form__group">
        <legend className="rule-form__legend">When a new mention…</legend>
        <p className="field__hint">
          Leave a condition empty to match anything. All that are set must hold.
        </p>
        <Choices
          legend="has the intent"
          options={INTENTS.map((value) => ({ value, label: value }))}
          chosen={draft.intent}
          onToggle={(value) => toggle('intent', value as RuleDraft['intent'][number])}
        />
        <Choices
          legend="has the sentiment"
          options={SENTIMENTS.map((value) => ({ value, label: value }))}
          chosen={draft.sentiment}
          onToggle={(value) => toggle('sentiment', value as RuleDraft['sentiment'][number])}
        />
        <Field
          {...shell(
            'words',
            'contains any of these words',
            'Separate words or phrases with commas or new lines. Whole words only; capitals and accents do not matter.',
          )}
        >
          <textarea
            {...control('words')}
            className="input textarea"
            rows={4}
            value={draft.words}
            placeholder="refund, money back, charged twice"
            onChange={(event) => set('words', event.target.value)}
          />
        </Field>
        <Choices
          legend="comes from"
          options={sourceChoices}
          chosen={draft.sources}
          onToggle={(value) => toggle('sources', value)}
        />
        <div className="rule-form__row">
          <Field {...shell('directed', 'is')}>
            <select
              {...control('directed')}
              className="input"
              value={draft.directed}
              onChange={(event) => set('directed', event.target.value as RuleDraft['directed'])}
            >
              <option value="any">directed or overheard</option>
              <option value="directed">directed at the brand</option>
              <option value="overheard">overheard</option>
            </select>
          </Field>
          <Field {...shell('urgencyAtLeast', 'has urgency at least')}>
            <input
              {...control('urgencyAtLeast')}
              className="input input--short"
              inputMode="numeric"
              placeholder="any"
              value={draft.urgencyAtLeast}
              onChange={(event) => set('urgencyAtLeast', event.target.value)}
            />
          </Field>
        </div>
      </fieldset>

      <fieldset className="rule-form__group">
        <legend className="rule-form__legend">…then</legend>
        {errors.actions ? (
          <p id={fieldId('actions-error')} className="form-error">
            {errors.actions}
          </p>
        ) : null}
        <Field {...shell('department', 'route it to')}>
          <select
            {...control('department')}
            className="input"
            value={draft.department}
            onChange={(event) => set('department', event.target.value)}
          >
            <option value="">no department</option>
            {departments.map((department) => (
              <option key={department.id} value={department.id}>
                {department.name}
              </option>
            ))}
          </select>
        </Field>
        {draft.department !== '' ? (
          <Choices
            legend="and also to"
            options={departments
              .filter((department) => department.id !== draft.department)
              .map((department) => ({ value: department.id, label: department.name }))}
            chosen={draft.alsoTo}
            onToggle={(value) => toggle('alsoTo', value)}
          />
        ) : null}
        {errorOf('alsoTo')}
        <div className="rule-form__row">
          <Field {...shell('setUrgency', 'set urgency to')}>
            <input
              {...control('setUrgency')}
              className="input input--short"
              inputMode="numeric"
              placeholder="unchanged"
              value={draft.setUrgency}
              onChange={(event) => set('setUrgency', event.target.value)}
            />
          </Field>
          <Field {...shell('template', 'suggest the template')}>
            <input
              {...control('template')}
              className="input"
              list={fieldId('templates')}
              placeholder="none"
              value={draft.template}
              onChange={(event) => set('template', event.target.value)}
            />
            <datalist id={fieldId('templates')}>
              {SUGGESTED_TEMPLATES.map((name) => (
                <option key={name} value={name} />
              ))}
            </datalist>
          </Field>
        </div>
        <Check
          label="Monitor only: keep it for insight, do not prompt a reply"
          checked={draft.monitorOnly}
          onChange={(value) => set('monitorOnly', value)}
        />
        <Check
          label="Notify me"
          checked={draft.notify}
          onChange={(value) => set('notify', value)}
        />
        <Check
          label="Stop here: run no later rule for this mention"
          checked={draft.stopAfter}
          onChange={(value) => set('stopAfter', value)}
        />
      </fieldset>
      <Check label="Enabled" checked={draft.enabled} onChange={(value) => set('enabled', value)} />
      <div className="rule-form__buttons">
        <button type="submit" className="button button--primary" disabled={busy}>
          {rule ? 'Save rule' : 'Add rule'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  )
}

/** One labelled control with its hint above and its error below (`errorOf`). */
function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string
  label: string
  hint?: string | undefined
  error: ReactNode
  children: ReactNode
}) {
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {hint ? <p className="field__hint">{hint}</p> : null}
      {children}
      {error}
    </div>
  )
}

function Choices({
  legend,
  options,
  chosen,
  onToggle,
}: {
  legend: string
  options: readonly { value: string; label: string }[]
  chosen: readonly string[]
  onToggle: (value: string) => void
}) {
  const id = useId()
  return (
    <fieldset className="choices">
      <legend className="field__label">{legend}</legend>
      {options.map((option) => (
        <span key={option.value} className="choices__option">
          <input
            id={`${id}-${option.value}`}
            type="checkbox"
            checked={chosen.includes(option.value)}
            onChange={() => onToggle(option.value)}
          />
          <label htmlFor={`${id}-${option.value}`}>{option.label}</label>
        </span>
      ))}
    </fieldset>
  )
}

function Check({
  label,
  checked,
  onChange,
}: {
  label: string
  checked: boolean
  onChange: (checked: boolean) => void
}) {
  const id = useId()
  return (
    <span className="check">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
      />
      <label htmlFor={id}>{label}</label>
    </span>
  )
}
