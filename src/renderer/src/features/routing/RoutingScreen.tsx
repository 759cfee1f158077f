import { useState } from 'react'
import type { RoutingRule, RoutingSettings } from '../../../../shared/routing'
import { MAX_RULES } from '../../../../shared/routing'
import { selectSources } from '../../store/selectors'
import { useAppStore } from '../../store/use-app-store'
import '../../styles/routing.css'
import { DepartmentList } from './DepartmentList'
import { LearnedModel } from './LearnedModel'
import { moveRule, withRule } from './rule-form'
import { RuleForm } from './RuleForm'
import { RuleRow } from './RuleRow'
import { useRouting } from './use-routing'

/** What is open in the form: an existing item by id, a new one (null id), or nothing. */
type Editing = { id: string | null } | null

/** The routing rules in order, with their editor, and the departments they route to. */
export function RoutingScreen() {
  const { routing, loadError, retry, save } = useRouting()
  const sources = useAppStore(selectSources) ?? []
  const [editing, setEditing] = useState<Editing>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState<string | null>(null)

  /** Saves the whole set; main checks it again and says what it refuses. */
  const commit = async (next: RoutingSettings, done: string): Promise<boolean> => {
    setBusy(true)
    setError(null)
    setSaved(null)
    const problem = await save(next)
    setBusy(false)
    if (problem) {
      setError(`Not saved: ${problem}`)
      return false
    }
    setSaved(done)
    return true
  }

  let body
  if (routing === null) {
    body = loadError ? (
      <div className="empty empty--inline">
        <h2 className="empty__title">Earshot could not load the routing rules</h2>
        <p className="empty__text">{loadError}</p>
        <button type="button" className="button" onClick={() => void retry()}>
          Try again
        </button>
      </div>
    ) : (
      <p className="muted" aria-busy="true">
        Asking Earshot for your routing rules…
      </p>
    )
  } else {
    const { rules, departments } = routing
    const saveRule = async (rule: RoutingRule) => {
      const isNew = !rules.some((entry) => entry.id === rule.id)
      const done = isNew ? `Added the rule “${rule.name}”` : `Saved the rule “${rule.name}”`
      if (await commit({ ...routing, rules: withRule(rules, rule) }, done)) setEditing(null)
    }
    const form = (rule: RoutingRule | null) => (
      <RuleForm
        rule={rule}
        rules={rules}
        departments={departments}
        sources={sources}
        busy={busy}
        onSave={(next) => void saveRule(next)}
        onCancel={() => setEditing(null)}
      />
    )
    body = (
      <div className="routing">
        <section className="routing__rules" aria-labelledby="rules-title">
          <div className="routing__bar">
            <h2 id="rules-title" className="routing__heading">
              Rules
            </h2>
            <button
              type="button"
              className="button button--primary button--small"
              disabled={editing !== null || rules.length >= MAX_RULES}
              onClick={() => setEditing({ id: null })}
            >
              Add rule
            </button>
          </div>
          <p className="muted routing__lead">
            Every new mention runs through the rules from top to bottom. Each rule that matches adds
            its departments; where two rules set the same thing, the higher one wins.
          </p>
          {editing?.id === null ? form(null) : null}
          {rules.length === 0 ? (
            <p className="muted">No rules: new mentions are not routed.</p>
          ) : (
            <ol className="rule-list" aria-label="Rules">
              {rules.map((rule, index) =>
                editing?.id === rule.id ? (
                  <li key={rule.id} className="rule rule--editing">
                    {form(rule)}
                  </li>
                ) : (
                  <RuleRow
                    key={rule.id}
                    rule={rule}
                    index={index}
                    count={rules.length}
                    departments={departments}
                    sources={sources}
                    busy={busy}
                    editingOther={editing !== null}
                    onToggle={(enabled) =>
                      void commit(
                        { ...routing, rules: rules.with(index, { ...rule, enabled }) },
                        `${enabled ? 'Turned on' : 'Turned off'} “${rule.name}”`,
                      )
                    }
                    onMove={(by) =>
                      void commit(
                        { ...routing, rules: moveRule(rules, index, by) },
                        `Moved “${rule.name}” ${by < 0 ? 'up' : 'down'}`,
                      )
                    }
                    onEdit={() => setEditing({ id: rule.id })}
                    onDelete={() =>
                      void commit(
                        { ...routing, rules: rules.filter((entry) => entry.id !== rule.id) },
                        `Deleted the rule “${rule.name}”`,
                      )
                    }
                  />
                ),
              )}
            </ol>
          )}
        </section>
        <aside className="routing__departments">
          <DepartmentList settings={routing} busy={busy} commit={commit} />
          <LearnedModel />
        </aside>
      </div>
    )
  }

  return (
    <section className="page page--routing" aria-labelledby="routing-title">
      <header className="page__header">
        <h1 id="routing-title" className="page__title">
          Routing
        </h1>
        <p className="page__lead">
          Which part of the company each mention goes to, and what else to do with it: raise its
          urgency, only watch it, notify you, or suggest an answer.
        </p>
      </header>
      <div className="routing__status" aria-live="polite">
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : saved ? (
          <p className="form-ok">{saved}.</p>
        ) : null}
      </div>
      {body}
    </section>
  )
}
