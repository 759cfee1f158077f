import { inView, matchesState } from '../../db/queue-query'
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
  const shown = state !== undefined && inView(state, view) && matchesState(state, filters)
  if (state !== undefined && !shown) setView(state && inView(state, 'urgent') ? 'urgent' : 'all')
  select(mentionId, { reveal: true })
}
