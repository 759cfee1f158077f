import { inView, matchesState, mostUrgentIn } from '../../db/queue-query'
import type { Services } from '../../services'

/** Alerts about a source rather than a mention carry `source:<id>` as their mention id. */
export const SOURCE_ALERT_PREFIX = 'source:'

/**
 * Brings one mention to the front: the queue, a filter that contains it, selected and scrolled
 * into view. Used by notification clicks, toasts and the Electron shell.
 */
export async function revealMention(
  { db, store }: Pick<Services, 'db' | 'store'>,
  mentionId: string,
): Promise<void> {
  // A source alarm ("Quiet: Acme blog") names a source, not a mention: show the sources.
  if (mentionId.startsWith(SOURCE_ALERT_PREFIX)) {
    const { showScreen, toasts, dismissToast } = store.getState()
    for (const toast of toasts) if (toast.mentionId === mentionId) dismissToast(toast.id)
    showScreen('sources')
    return
  }
  // An alert can arrive before its batch is stored: the view is kept, as a new urgent mention
  // lands in it (Inbox or Urgent) once stored.
  const state = await db.states.get(mentionId)
  const { view, filters, setView, showScreen, select, toasts, dismissToast } = store.getState()
  // Its toast has done its job once the mention is in front of the responder.
  for (const toast of toasts) if (toast.mentionId === mentionId) dismissToast(toast.id)
  showScreen('queue')
  store.getState().showSpotlight(null)
  const shown = state !== undefined && inView(state, view) && matchesState(state, filters)
  if (state !== undefined && !shown) setView(state && inView(state, 'urgent') ? 'urgent' : 'all')
  select(mentionId, { reveal: true })
}

/**
 * The mention the responder should see first: the most urgent in Urgent (open or watched, at or
 * above URGENT_AT), newest on ties; else the most urgent in Inbox; null when both are empty.
 */
export async function mostUrgentMentionId({ db }: Pick<Services, 'db'>): Promise<string | null> {
  return (await mostUrgentIn(db, 'urgent')) ?? (await mostUrgentIn(db, 'inbox')) ?? null
}

/**
 * The global shortcut: the queue on the most urgent mention, selected and in view; with nothing
 * waiting, the empty Inbox, which says so.
 */
export async function revealMostUrgent(services: Pick<Services, 'db' | 'store'>): Promise<void> {
  const id = await mostUrgentMentionId(services)
  if (id !== null) return revealMention(services, id)
  const { showScreen, setView } = services.store.getState()
  showScreen('queue')
  setView('inbox')
}

/** What a click on an alert needs: the lead mention, and the posts behind a spike or digest. */
export type AlertTarget = { mentionId: string; mentionIds?: string[] | undefined; title: string }

/**
 * Opens what an alert is about: a spike or a digest opens the queue filtered to its posts with
 * the lead post selected; anything else reveals its one mention.
 */
export async function revealAlert(
  services: Pick<Services, 'db' | 'store'>,
  alert: AlertTarget,
): Promise<void> {
  const ids = alert.mentionIds ?? []
  if (ids.length === 0) return revealMention(services, alert.mentionId)
  const { showScreen, showSpotlight, select, toasts, dismissToast } = services.store.getState()
  for (const toast of toasts) if (toast.mentionId === alert.mentionId) dismissToast(toast.id)
  showScreen('queue')
  showSpotlight({ title: alert.title, mentionIds: ids })
  select(ids.includes(alert.mentionId) ? alert.mentionId : (ids[0] ?? null))
}
