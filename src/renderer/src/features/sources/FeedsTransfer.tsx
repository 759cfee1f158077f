import { useId, useRef, useState, type ChangeEvent } from 'react'
import { OPML_MAX_CHARS, type OpmlImport } from '../../../../shared/contract'
import { useServices } from '../../services'
import { downloadBlob } from '../history/export'

/** What an import did, in a sentence or two: "Added 12 feeds; 3 were already sources." */
export function importSummary(result: OpmlImport): string {
  const added = result.added.length
  const parts = [
    added === 0
      ? 'No new feeds'
      : `Added ${added.toLocaleString()} ${added === 1 ? 'feed' : 'feeds'}`,
  ]
  if (result.already > 0) {
    parts.push(
      result.already === 1
        ? '1 was already a source'
        : `${result.already.toLocaleString()} were already sources`,
    )
  }
  const first =
    added === 0
      ? ''
      : added === 1
        ? ' It is checked on its first poll, shortly.'
        : ' Each is checked on its first poll, spread over the next minutes.'
  return `${parts.join('; ')}.${first}`
}

/** Refused feeds listed by name; past this, a count. */
const REFUSED_SHOWN = 10

type Outcome =
  | { kind: 'imported'; result: OpmlImport }
  | { kind: 'exported'; feeds: number }
  | { kind: 'error'; message: string }

/**
 * Feeds in and out as OPML, the file every feed reader exports: a responder moving from Feedly or
 * Inoreader brings their subscriptions at once, and can take Earshot's feeds elsewhere. The file is
 * read by main, in its parse worker; what could not be added is listed with the reason.
 */
export function FeedsTransfer({ feeds }: { feeds: number }) {
  const { client, store } = useServices()
  const picker = useRef<HTMLInputElement>(null)
  const [busy, setBusy] = useState<'import' | 'export' | null>(null)
  const [outcome, setOutcome] = useState<Outcome | null>(null)
  const titleId = useId()

  const importFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0]
    // The same file can be chosen again after fixing it.
    event.target.value = ''
    if (!file) return
    setOutcome(null)
    if (file.size > OPML_MAX_CHARS) {
      return setOutcome({
        kind: 'error',
        message: `“${file.name}” is larger than Earshot takes at once (${Math.round(OPML_MAX_CHARS / 1000)} KB, about a thousand feeds); split it and import each part.`,
      })
    }
    setBusy('import')
    try {
      let text: string
      try {
        text = await file.text()
      } catch {
        return setOutcome({ kind: 'error', message: `“${file.name}” could not be read.` })
      }
      if (text.trim() === '') {
        return setOutcome({ kind: 'error', message: `“${file.name}” is empty.` })
      }
      const result = await client.call('sources:importOpml', { opml: text })
      if (!result.ok) {
        return setOutcome({ kind: 'error', message: `“${file.name}”: ${result.error.message}.` })
      }
      for (const source of result.value.added) store.getState().upsertSource(source)
      setOutcome({ kind: 'imported', result: result.value })
    } finally {
      setBusy(null)
    }
  }

  const exportFeeds = async () => {
    setOutcome(null)
    setBusy('export')
    const result = await client.call('sources:exportOpml', {})
    setBusy(null)
    if (!result.ok) return setOutcome({ kind: 'error', message: result.error.message })
    downloadBlob(new Blob([result.value.opml], { type: 'text/x-opml' }), 'earshot-feeds.opml')
    setOutcome({ kind: 'exported', feeds: result.value.feeds })
  }

  return (
    <section className="card feeds-transfer" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__title">
        Feeds from another reader
      </h2>
      <p className="muted">
        Bring your subscriptions from Feedly, Inoreader or any reader that exports OPML, or take
        Earshot’s feeds elsewhere.
      </p>
      <input
        ref={picker}
        type="file"
        accept=".opml,.xml,text/x-opml,text/xml,application/xml"
        aria-label="OPML file to import"
        hidden
        onChange={(event) => void importFile(event)}
      />
      <div className="add-feed__actions">
        <button
          type="button"
          className="button"
          disabled={busy !== null}
          onClick={() => picker.current?.click()}
        >
          {busy === 'import' ? 'Importing…' : 'Import OPML…'}
        </button>
        <button
          type="button"
          className="button"
          disabled={busy !== null || feeds === 0}
          title={feeds === 0 ? 'No RSS or Atom feeds to export yet' : undefined}
          onClick={() => void exportFeeds()}
        >
          {busy === 'export' ? 'Exporting…' : 'Export OPML'}
        </button>
      </div>
      {outcome?.kind === 'error' ? (
        <p className="form-error" role="alert">
          {outcome.message}
        </p>
      ) : null}
      {outcome?.kind === 'exported' ? (
        <p className="form-ok" role="status">
          Exported {outcome.feeds.toLocaleString()} {outcome.feeds === 1 ? 'feed' : 'feeds'} as
          “earshot-feeds.opml”.
        </p>
      ) : null}
      {outcome?.kind === 'imported' ? (
        <div role="status">
          <p className="form-ok">{importSummary(outcome.result)}</p>
          {outcome.result.refused.length > 0 ? (
            <>
              <p className="feeds-transfer__refused-title">
                Not added ({outcome.result.refused.length.toLocaleString()}):
              </p>
              <ul className="feeds-transfer__refused" aria-label="Feeds not added">
                {outcome.result.refused.slice(0, REFUSED_SHOWN).map((refused, index) => (
                  <li key={index}>
                    <span className="feeds-transfer__feed">{refused.feed}</span>: {refused.reason}
                  </li>
                ))}
              </ul>
              {outcome.result.refused.length > REFUSED_SHOWN ? (
                <p className="muted">
                  and {(outcome.result.refused.length - REFUSED_SHOWN).toLocaleString()} more.
                </p>
              ) : null}
            </>
          ) : null}
        </div>
      ) : null}
    </section>
  )
}
