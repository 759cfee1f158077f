import { useEffect, useRef, useState, type ChangeEvent } from 'react'
import { MODEL_CHUNK_CHARS, type CallOutput } from '../../../../shared/contract'
import { RelativeTime } from '../../components/RelativeTime'
import { useServices } from '../../services'
import { downloadBlob, exportFileName } from '../history/export'

type Summary = CallOutput<'triage:model'>
type Status = { kind: 'idle' | 'busy' } | { kind: 'done' | 'error'; message: string }

const corrections = (n: number) => (n === 1 ? '1 correction' : `${n.toLocaleString()} corrections`)

/**
 * What triage learned from the responder's corrections: how much, and the three things a
 * responder does with it: keep a copy (export), bring it to another computer (import), or forget
 * it and go back to the rules (reset, after a confirmation).
 */
export function LearnedModel() {
  const { client } = useServices()
  const [summary, setSummary] = useState<Summary | null>(null)
  const [status, setStatus] = useState<Status>({ kind: 'idle' })
  const [confirming, setConfirming] = useState(false)
  const fileRef = useRef<HTMLInputElement>(null)

  useEffect(() => {
    let live = true
    void client.call('triage:model', {}).then((result) => {
      if (!live) return
      if (result.ok) setSummary(result.value)
      else setStatus({ kind: 'error', message: result.error.message })
    })
    return () => {
      live = false
    }
  }, [client])

  const exportModel = async () => {
    setStatus({ kind: 'busy' })
    const result = await client.call('triage:exportModel', {})
    if (!result.ok) return setStatus({ kind: 'error', message: result.error.message })
    downloadBlob(
      new Blob([result.value.json], { type: 'application/json' }),
      exportFileName('triage-model', 'json'),
    )
    setStatus({ kind: 'done', message: 'Exported the model.' })
  }

  const importModel = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0]
    event.target.value = ''
    if (!file) return
    setStatus({ kind: 'busy' })
    const text = await file.text()
    const count = Math.max(1, Math.ceil(text.length / MODEL_CHUNK_CHARS))
    const uploadId = crypto.randomUUID()
    for (let index = 0; index < count; index++) {
      const chunk = text.slice(index * MODEL_CHUNK_CHARS, (index + 1) * MODEL_CHUNK_CHARS)
      const result = await client.call('triage:importModel', { uploadId, index, count, chunk })
      if (!result.ok) return setStatus({ kind: 'error', message: result.error.message })
      if (result.value) {
        setSummary(result.value)
        setStatus({
          kind: 'done',
          message: `Imported ${file.name}: ${corrections(result.value.corrections)}.`,
        })
      }
    }
  }

  const reset = async () => {
    setConfirming(false)
    setStatus({ kind: 'busy' })
    const result = await client.call('triage:resetModel', {})
    if (!result.ok) return setStatus({ kind: 'error', message: result.error.message })
    setSummary(result.value)
    setStatus({ kind: 'done', message: 'Forgot every correction: triage follows the rules alone.' })
  }

  const busy = status.kind === 'busy'
  return (
    <section className="card learned" aria-labelledby="learned-title">
      <h2 id="learned-title" className="card__title">
        Learned from your corrections
      </h2>
      {summary === null ? (
        <p className="muted" aria-busy={status.kind !== 'error'}>
          {status.kind === 'error' ? status.message : 'Asking Earshot what it learned…'}
        </p>
      ) : summary.corrections === 0 ? (
        <p className="muted">
          Nothing yet. Correct a mention’s sentiment, intent or urgency in its details and triage
          learns from it at once, on this computer.
        </p>
      ) : (
        <p>
          {corrections(summary.corrections)}: {summary.byKind.sentiment.toLocaleString()} of
          sentiment, {summary.byKind.intent.toLocaleString()} of intent,{' '}
          {summary.byKind.urgent.toLocaleString()} of urgency
          {summary.updatedAt !== null ? (
            <>
              ; the last <RelativeTime at={summary.updatedAt} />
            </>
          ) : null}
          .
        </p>
      )}
      <div className="learned__actions">
        <button
          type="button"
          className="button button--small"
          disabled={busy || !summary || summary.corrections === 0}
          onClick={() => void exportModel()}
        >
          Export model
        </button>
        <button
          type="button"
          className="button button--small"
          disabled={busy}
          onClick={() => fileRef.current?.click()}
        >
          Import model…
        </button>
        <input
          ref={fileRef}
          type="file"
          accept="application/json,.json"
          hidden
          aria-label="Model file to import"
          onChange={(event) => void importModel(event)}
        />
        {confirming ? (
          <span className="learned__confirm" role="group" aria-label="Confirm reset">
            Forget {summary ? corrections(summary.corrections) : 'them'}?
            <button
              type="button"
              className="button button--danger button--small"
              onClick={() => void reset()}
            >
              Forget them
            </button>
            <button
              type="button"
              className="button button--quiet button--small"
              onClick={() => setConfirming(false)}
            >
              Keep them
            </button>
          </span>
        ) : (
          <button
            type="button"
            className="button button--quiet button--small"
            disabled={busy || !summary || summary.corrections === 0}
            onClick={() => setConfirming(true)}
          >
            Reset…
          </button>
        )}
      </div>
      {status.kind === 'done' ? (
        <p className="form-ok" role="status">
          {status.message}
        </p>
      ) : status.kind === 'error' && summary !== null ? (
        <p className="form-error" role="alert">
          {status.message}
        </p>
      ) : null}
    </section>
  )
}
