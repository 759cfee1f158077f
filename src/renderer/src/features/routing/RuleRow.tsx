import { useId, useState } from 'react'
import type { SourceView } from '../../../../shared/domain'
import type { Department, RoutingRule } from '../../../../shared/routing'
import { describeActions, describeConditions } from './rule-form'

type Props = {
  rule: RoutingRule
  index: number
  count: number
  departments: readonly Department[]
  sources: readonly SourceView[]
  busy: boolean
  editingOther: boolean
  onToggle: (enabled: boolean) => void
  onMove: (by: -1 | 1) => void
  onEdit: () => void
  onDelete: () => void
}

/** One rule in order: what it looks for, what it does, and its switches. */
export function RuleRow(props: Props) {
  const { rule, index, count, departments, sources, busy, editingOther } = props
  const [confirming, setConfirming] = useState(false)
  const toggleId = useId()
  return (
    <li
      className={rule.enabled ? 'rule' : 'rule rule--off'}
      data-rule-id={rule.id}
      aria-label={rule.name}
    >
      <span className="rule__order" aria-hidden="true">
        {index + 1}
      </span>
      <div className="rule__body">
        <h3 className="rule__name">{rule.name}</h3>
        <p className="rule__when">
          <span className="rule__tag">When</span> {describeConditions(rule, sources)}
        </p>
        <p className="rule__then">
          <span className="rule__tag">Then</span> {describeActions(rule, departments)}
        </p>
        {confirming ? (
          <div className="rule__confirm" role="group" aria-label={`Delete ${rule.name}?`}>
            <span>Delete this rule?</span>
            <button
              type="button"
              className="button button--danger button--small"
              disabled={busy}
              onClick={props.onDelete}
            >
              Yes, delete
            </button>
            <button
              type="button"
              className="button button--small"
              onClick={() => setConfirming(false)}
            >
              Cancel
            </button>
          </div>
        ) : null}
      </div>
      <div className="rule__controls">
        <span className="check rule__switch">
          <input
            id={toggleId}
            type="checkbox"
            role="switch"
            checked={rule.enabled}
            disabled={busy}
            onChange={(event) => props.onToggle(event.target.checked)}
          />
          <label htmlFor={toggleId}>{rule.enabled ? 'On' : 'Off'}</label>
        </span>
        <button
          type="button"
          className="button button--icon button--small"
          aria-label={`Move ${rule.name} up`}
          title="Move up"
          disabled={busy || index === 0}
          onClick={() => props.onMove(-1)}
        >
          ↑
        </button>
        <button
          type="button"
          className="button button--icon button--small"
          aria-label={`Move ${rule.name} down`}
          title="Move down"
          disabled={busy || index === count - 1}
          onClick={() => props.onMove(1)}
        >
          ↓
        </button>
        <button
          type="button"
          className="button button--small"
          aria-label={`Edit ${rule.name}`}
          disabled={editingOther}
          onClick={props.onEdit}
        >
          Edit
        </button>
        <button
          type="button"
          className="button button--quiet button--small"
          aria-label={`Delete ${rule.name}`}
          onClick={() => setConfirming(true)}
        >
          Delete
        </button>
      </div>
    </li>
  )
}
