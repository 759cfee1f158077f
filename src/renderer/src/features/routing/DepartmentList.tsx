import { useState } from 'react'
import type { Department, RoutingSettings } from '../../../../shared/routing'
import { MAX_DEPARTMENTS } from '../../../../shared/routing'
import { DepartmentForm } from './DepartmentForm'
import { removalProblem } from './rule-form'

/** What is open in the form: an existing item by id, a new one (null id), or nothing. */
type Editing = { id: string | null } | null

type Props = {
  settings: RoutingSettings
  busy: boolean
  /** Saves the settings; resolves true when main accepted them. */
  commit: (next: RoutingSettings, done: string) => Promise<boolean>
}

/** Where a webhook points, for display: the host is enough to recognise it. */
function webhookHost(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

const hours = (n: number) =>
  n % 24 === 0 ? `${n / 24} ${n === 24 ? 'day' : 'days'}` : `${n} ${n === 1 ? 'hour' : 'hours'}`

/** The departments mentions can be routed to, each editable; add and remove. */
export function DepartmentList({ settings, busy, commit }: Props) {
  const [editing, setEditing] = useState<Editing>(null)
  const [confirming, setConfirming] = useState<string | null>(null)
  const [problem, setProblem] = useState<{ id: string; text: string } | null>(null)
  const { departments } = settings

  const saveDepartment = async (department: Department) => {
    const at = departments.findIndex((d) => d.id === department.id)
    const next = at < 0 ? [...departments, department] : departments.with(at, department)
    const done = at < 0 ? `Added ${department.name}` : `Saved ${department.name}`
    if (await commit({ ...settings, departments: next }, done)) setEditing(null)
  }
  const remove = async (department: Department) => {
    const blocked = removalProblem(settings, department.id)
    if (blocked) {
      setConfirming(null)
      return setProblem({ id: department.id, text: blocked })
    }
    const next = departments.filter((d) => d.id !== department.id)
    if (await commit({ ...settings, departments: next }, `Removed ${department.name}`)) {
      setConfirming(null)
    }
  }

  return (
    <section className="departments" aria-labelledby="departments-title">
      <div className="routing__bar">
        <h2 id="departments-title" className="routing__heading">
          Departments
        </h2>
        <button
          type="button"
          className="button button--small"
          disabled={editing !== null || departments.length >= MAX_DEPARTMENTS}
          onClick={() => setEditing({ id: null })}
        >
          Add department
        </button>
      </div>
      <p className="muted routing__lead">
        Where hand-offs go. Give each an e-mail address, a webhook, or both.
      </p>
      {editing?.id === null ? (
        <div className="card">
          <DepartmentForm
            department={null}
            departments={departments}
            busy={busy}
            onSave={(department) => void saveDepartment(department)}
            onCancel={() => setEditing(null)}
          />
        </div>
      ) : null}
      <ul className="department-list" aria-label="Departments">
        {departments.map((department) => (
          <li key={department.id} className="department" data-department-id={department.id}>
            {editing?.id === department.id ? (
              <DepartmentForm
                department={department}
                departments={departments}
                busy={busy}
                onSave={(saved) => void saveDepartment(saved)}
                onCancel={() => setEditing(null)}
              />
            ) : (
              <>
                <div className="department__head">
                  <h3 className="department__name">{department.name}</h3>
                  <span className="muted department__follow">
                    follow up after {hours(department.followUpHours)}
                  </span>
                </div>
                <dl className="department__facts">
                  <div>
                    <dt>E-mail</dt>
                    <dd>{department.email ?? <span className="muted">none</span>}</dd>
                  </div>
                  <div>
                    <dt>Webhook</dt>
                    <dd>
                      {department.webhookUrl ? (
                        webhookHost(department.webhookUrl)
                      ) : (
                        <span className="muted">none</span>
                      )}
                    </dd>
                  </div>
                </dl>
                {confirming === department.id ? (
                  <div
                    className="department__actions"
                    role="group"
                    aria-label={`Remove ${department.name}?`}
                  >
                    <span>Remove {department.name}?</span>
                    <button
                      type="button"
                      className="button button--danger button--small"
                      disabled={busy}
                      onClick={() => void remove(department)}
                    >
                      Yes, remove
                    </button>
                    <button
                      type="button"
                      className="button button--small"
                      onClick={() => setConfirming(null)}
                    >
                      Cancel
                    </button>
                  </div>
                ) : (
                  <div className="department__actions">
                    <button
                      type="button"
                      className="button button--small"
                      aria-label={`Edit ${department.name}`}
                      disabled={editing !== null}
                      onClick={() => {
                        setProblem(null)
                        setEditing({ id: department.id })
                      }}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="button button--quiet button--small"
                      aria-label={`Remove ${department.name}`}
                      onClick={() => {
                        setProblem(null)
                        setConfirming(department.id)
                      }}
                    >
                      Remove
                    </button>
                  </div>
                )}
                {problem?.id === department.id ? (
                  <p className="form-error" role="alert">
                    {problem.text}
                  </p>
                ) : null}
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}
