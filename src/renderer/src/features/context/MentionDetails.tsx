import { useEffect, useState } from 'react'
import type { Mention } from '../../../../shared/domain'
import { describeError } from '../../../../shared/result'
import { RelativeTime } from '../../components/RelativeTime'
import { SourceLabel } from '../../components/SourceLabel'
import { DirectedBadge, StatusChip } from '../../components/TriageBadges'
import { setStatus } from '../../db/actions'
import type { ResponderState } from '../../db/database'
import { useServices } from '../../services'
import { acknowledgeMention } from '../alerts/acknowledge'
import { Composer } from '../compose/Composer'
import { Handoff } from '../compose/Handoff'
import { AuthorExchanges, Thread } from '../compose/Thread'
import { AnsweredElsewhere } from './AnsweredElsewhere'
import { AuthorHistory, Timeline } from './MentionHistory'
import { CorrectionControls } from './CorrectionControls'
import { TriageDetails } from './TriageDetails'
import { useOpenExternal } from './use-open-external'
import { PostText } from '../../components/PostText'

type Props = { mention: Mention; state: ResponderState | undefined }

/** One mention in full. All of it is untrusted text and renders as text. */
export function MentionDetails({ mention, state }: Props) {
  const { db, client } = useServices()
  const { open, error: openError } = useOpenExternal()
  const [saveError, setSaveError] = useState<string | null>(null)
  const status = state?.status ?? 'open'
  const { author } = mention

  // Opened is acknowledged: its notification stops repeating.
  useEffect(() => acknowledgeMention(client, mention.id), [client, mention.id])

  const changeStatus = async () => {
    setSaveError(null)
    try {
      await setStatus(db, mention.id, status === 'done' ? 'open' : 'done')
      acknowledgeMention(client, mention.id)
    } catch (cause) {
      setSaveError(`Could not save: ${describeError(cause)}`)
    }
  }

  return (
    <article className="details">
      <header className="details__meta">
        <SourceLabel mention={mention} />
        <span aria-hidden="true">·</span>
        <RelativeTime at={mention.createdAt} />
        <DirectedBadge directed={mention.triage.directed} own={mention.triage.own} />
        <StatusChip status={status} />
        {status === 'waiting' && state?.department ? <span>on {state.department}</span> : null}
        {status === 'snoozed' && state?.snoozedUntil !== undefined ? (
          <span>
            until <RelativeTime at={state.snoozedUntil} future />
          </span>
        ) : null}
      </header>

      <div className="details__actions">
        <button
          type="button"
          className="button button--primary"
          onClick={() => void changeStatus()}
        >
          {status === 'done' ? 'Reopen' : 'Mark done'}
        </button>
        <button
          type="button"
          className="button"
          disabled={mention.url === null}
          onClick={() => mention.url !== null && void open(mention.url)}
        >
          Open original
        </button>
      </div>
      {saveError || openError ? (
        <p className="form-error" role="alert">
          {saveError ?? openError}
        </p>
      ) : null}

      {mention.title ? <h2 className="details__title">{mention.title}</h2> : null}
      <PostText className="details__text" text={mention.text} onOpen={(url) => void open(url)} />
      <p className="details__link">
        {mention.url === null ? 'The source gave no link for this mention.' : mention.url}
      </p>

      <AnsweredElsewhere mentionId={mention.id} />
      <Thread mention={mention} />

      <section className="details__section" aria-label="Author">
        <h3 className="details__heading">Author</h3>
        <p className="author">
          <span className="author__name">{author.name}</span>
          {author.handle ? <span className="author__handle">{author.handle}</span> : null}
          {author.followers !== undefined ? (
            <span className="author__followers">{author.followers.toLocaleString()} followers</span>
          ) : null}
        </p>
        {author.url ? (
          <p className="author__link">
            <span className="details__url">{author.url}</span>
            <button
              type="button"
              className="button button--small"
              onClick={() => void open(author.url ?? '')}
            >
              Open profile
            </button>
          </p>
        ) : null}
        <AuthorHistory mention={mention} />
        <AuthorExchanges mention={mention} />
      </section>

      <Composer mention={mention} />
      <Handoff mention={mention} state={state} />
      <TriageDetails triage={mention.triage} />
      <CorrectionControls key={mention.id} mention={mention} />
      <Timeline mentionId={mention.id} />
    </article>
  )
}
