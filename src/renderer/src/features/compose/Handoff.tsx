import { useLiveQuery } from 'dexie-react-hooks'
import { useEffect, useId, useState } from 'react'
import type { Mention } from '../../../../shared/domain'
import { buildHandoff, handoffMailto, handoffText } from '../../../../shared/handoff'
import { routingSettingsSchema, type Department } from '../../../../shared/routing'
import { countByAuthor } from '../../db/queue-query'
import type { ResponderState } from '../../db/database'
import { useServices } from '../../services'
import { FollowUpBadge } from '../queue/FollowUpBadge'
import { authorExchanges, recordHandoff } from './record-reply'

type Props = { mention: Mention; state: ResponderState | undefined }

const HOUR = 3_600_000

/**
 * Handing a mention to a department: the packet (summary, the customer's words, history, links,
 * urgency reasons, the responder's note) goes to the department's webhook, into an e-mail draft,
 * or onto the clipboard; the mention then waits on the department with a follow-up time.
 */
export function Handoff({ mention, state }: Props) {
  const { client, db } = useServices()
  const id = useId()
  const [departments, setDepartments] = useState<Department[] | null>(null)
  const [departmentId, setDepartmentId] = useState('')
  const [note, setNote] = useState('')
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null)
  const [busy, setBusy] = useState(false)
  // Departments are asked for only when the responder opens the hand-off.
  const [opened, setOpened] = useState(false)
  const others = useLiveQuery(
    async () => Math.max(0, (await countByAuthor(db, mention.author.id)) - 1),
    [db, mention.author.id],
  )
  const exchanges = useLiveQuery(
    () => authorExchanges(db, mention.author.id, mention.id),
    [db, mention.author.id, mention.id],
  )
  const followUp = useLiveQuery(async () => {
    const rows = await db.actions
      .where('[mentionId+at]')
      .between([mention.id, -Infinity], [mention.id, Infinity])
      .toArray()
    return rows.filter((r) => r.kind === 'route' && r.detail.until !== undefined).at(-1)?.detail
      .until
  }, [db, mention.id])

  useEffect(() => {
    if (!opened) return
    let live = true
    void client.call('routing:get', {}).then((result) => {
      if (!live) return
      if (!result.ok) {
        setMessage({ text: `Could not load the departments: ${result.error.message}`, error: true })
        return
      }
      const parsed = routingSettingsSchema.safeParse(result.value)
      if (!parsed.success) {
        setMessage({ text: 'The departments could not be read.', error: true })
        return
      }
      const list = parsed.data.departments
      setDepartments(list)
      const suggested = mention.triage.route?.department
      setDepartmentId(list.find((d) => d.id === suggested)?.id ?? list[0]?.id ?? '')
    })
    return () => {
      live = false
    }
  }, [client, mention.triage.route?.department, opened])

  const department = departments?.find((d) => d.id === departmentId)
  const packet = () =>
    buildHandoff(
      mention,
      {
        otherMentions: others ?? 0,
        exchanges: (exchanges ?? []).map((row) => ({ at: row.at, text: row.detail.text })),
      },
      [...mention.triage.reasons].sort((a, b) => b.points - a.points),
      note,
    )

  const handedOff = async (how: 'webhook' | 'email' | 'copy') => {
    if (!department) return
    const now = Date.now()
    await recordHandoff(
      db,
      mention.id,
      department.name,
      now + department.followUpHours * HOUR,
      how,
      now,
    )
  }

  const run = async (how: 'webhook' | 'email' | 'copy') => {
    if (!department || busy) return
    setBusy(true)
    setMessage(null)
    try {
      const built = packet()
      if (how === 'webhook') {
        const result = await client.call('handoff:send', {
          departmentId: department.id,
          packet: built,
        })
        if (!result.ok) return setMessage({ text: result.error.message, error: true })
        if (!result.value.delivered) {
          return setMessage({
            text: `${department.name}'s webhook refused the hand-off (${result.value.status}). Try e-mail or copy it.`,
            error: true,
          })
        }
        setMessage({ text: `Sent to ${department.name}.`, error: false })
      } else if (how === 'email' && department.email) {
        // The full packet is on the clipboard too, for drafts the link had to shorten.
        await navigator.clipboard?.writeText(handoffText(built)).catch(() => undefined)
        const url = handoffMailto(department.email, built)
        const result = await client.call('shell:openExternal', { url })
        if (!result.ok) return setMessage({ text: result.error.message, error: true })
        if (result.value.openedBy === 'page') window.open(url, '_blank', 'noopener')
        setMessage({ text: `E-mail draft to ${department.email} opened.`, error: false })
      } else {
        await navigator.clipboard.writeText(handoffText(built))
        setMessage({ text: 'Hand-off copied.', error: false })
      }
      await handedOff(how)
    } catch (cause) {
      setMessage({
        text: `Could not hand it off: ${cause instanceof Error ? cause.message : String(cause)}`,
        error: true,
      })
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="details__section composer" aria-label="Hand off">
      <h3 className="details__heading">Hand off to a department</h3>
      {state?.status === 'waiting' && followUp !== undefined ? (
        <p className="composer__hint" role="status">
          Waiting on {state.department}; follow up by{' '}
          {new Date(followUp).toLocaleString(undefined, {
            dateStyle: 'medium',
            timeStyle: 'short',
          })}
          . <FollowUpBadge state={state} />
        </p>
      ) : null}
      {!opened ? (
        <button type="button" className="button" onClick={() => setOpened(true)}>
          Hand off…
        </button>
      ) : null}
      {departments === null ? null : departments.length === 0 ? (
        <p>No departments yet: add them on the Routing screen.</p>
      ) : (
        <>
          <div className="composer__field">
            <label htmlFor={`${id}-department`}>Department</label>
            <select
              id={`${id}-department`}
              className="input"
              value={departmentId}
              onChange={(event) => setDepartmentId(event.target.value)}
            >
              {departments.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </div>
          <div className="composer__field">
            <label htmlFor={`${id}-note`}>Note for the department</label>
            <textarea
              id={`${id}-note`}
              className="input textarea"
              rows={2}
              maxLength={2000}
              value={note}
              onChange={(event) => setNote(event.target.value)}
            />
          </div>
          <div className="composer__actions">
            {department?.webhookUrl ? (
              <button
                type="button"
                className="button button--primary"
                disabled={busy}
                onClick={() => void run('webhook')}
              >
                Send to {department.name}
              </button>
            ) : null}
            {department?.email ? (
              <button
                type="button"
                className="button"
                disabled={busy}
                onClick={() => void run('email')}
              >
                E-mail draft
              </button>
            ) : null}
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => void run('copy')}
            >
              Copy hand-off
            </button>
          </div>
        </>
      )}
      {message ? (
        <p
          className={message.error ? 'form-error' : 'composer__notice'}
          role={message.error ? 'alert' : 'status'}
        >
          {message.text}
        </p>
      ) : null}
    </section>
  )
}
