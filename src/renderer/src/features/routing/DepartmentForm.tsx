import { useId, useState, type FormEvent } from 'react'
import type { Department } from '../../../../shared/routing'
import {
  departmentFromDraft,
  draftFromDepartment,
  emptyDepartmentDraft,
  type DepartmentDraft,
  type DepartmentField,
  type FormErrors,
} from './rule-form'

type Props = {
  /** The department being edited, or null for a new one. */
  department: Department | null
  departments: readonly Department[]
  busy: boolean
  onSave: (department: Department) => void
  onCancel: () => void
}

const FIELDS: { key: DepartmentField; label: string; hint?: string; placeholder: string }[] = [
  { key: 'name', label: 'Name', placeholder: 'e.g. Legal' },
  { key: 'email', label: 'E-mail', placeholder: 'team@example.com' },
  {
    key: 'webhookUrl',
    label: 'Webhook URL',
    hint: 'Slack-compatible: the hand-off is posted as JSON with a "text" field.',
    placeholder: 'https://hooks.slack.com/services/…',
  },
  {
    key: 'followUpHours',
    label: 'Follow up after (hours)',
    hint: 'How long to wait for the department before reminding you.',
    placeholder: '24',
  },
]

/** Adds or edits a department: where hand-offs go and how long to wait for an answer. */
export function DepartmentForm({ department, departments, busy, onSave, onCancel }: Props) {
  const [draft, setDraft] = useState<DepartmentDraft>(() =>
    department ? draftFromDepartment(department) : emptyDepartmentDraft(),
  )
  const [errors, setErrors] = useState<FormErrors<DepartmentField>>({})
  const id = useId()

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const checked = departmentFromDraft(draft, department?.id ?? null, departments)
    if (!checked.ok) return setErrors(checked.errors)
    setErrors({})
    onSave(checked.value)
  }

  return (
    <form
      className="department-form"
      aria-label={department ? `Edit department ${department.name}` : 'New department'}
      noValidate
      onSubmit={submit}
    >
      {FIELDS.map(({ key, label, hint, placeholder }) => (
        <div key={key} className="field">
          <label className="field__label" htmlFor={`${id}-${key}`}>
            {label}
          </label>
          {hint ? <p className="field__hint">{hint}</p> : null}
          <input
            id={`${id}-${key}`}
            className={key === 'followUpHours' ? 'input input--short' : 'input'}
            inputMode={
              key === 'followUpHours'
                ? 'numeric'
                : key === 'email'
                  ? 'email'
                  : key === 'webhookUrl'
                    ? 'url'
                    : 'text'
            }
            autoComplete="off"
            spellCheck={key === 'name'}
            placeholder={placeholder}
            value={draft[key]}
            aria-invalid={errors[key] !== undefined}
            aria-describedby={errors[key] ? `${id}-${key}-error` : undefined}
            onChange={(event) => setDraft((current) => ({ ...current, [key]: event.target.value }))}
          />
          {errors[key] ? (
            <p id={`${id}-${key}-error`} className="form-error">
              {errors[key]}
            </p>
          ) : null}
        </div>
      ))}
      <div className="rule-form__buttons">
        <button type="submit" className="button button--primary" disabled={busy}>
          {department ? 'Save department' : 'Add department'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  )
}
