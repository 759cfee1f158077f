import { selectSelectedId } from '../../store/selectors'
import { useAppStore } from '../../store/use-app-store'
import { MentionDetails } from './MentionDetails'
import { useSelectedMention } from './use-selected-mention'

/** The right-hand panel: everything about the selected mention, or how to pick one. */
export function ContextPanel() {
  const selectedId = useAppStore(selectSelectedId)
  const selected = useSelectedMention(selectedId)
  return (
    <aside id="mention-details" className="context" aria-label="Mention details" tabIndex={-1}>
      {selected.kind === 'found' ? (
        <MentionDetails
          key={selected.mention.id}
          mention={selected.mention}
          state={selected.state}
        />
      ) : selected.kind === 'missing' ? (
        <div className="empty">
          <h2 className="empty__title">This mention is on its way</h2>
          <p className="empty__text">
            It will show here as soon as it is stored. If it does not, it may have been removed.
          </p>
        </div>
      ) : selected.kind === 'loading' ? null : (
        <div className="empty">
          <h2 className="empty__title">Pick a mention to read it here</h2>
          <p className="empty__text">
            Click a row, or use <kbd>j</kbd> and <kbd>k</kbd> (or the arrow keys) in the queue.
            Press <kbd>e</kbd> to mark the selected mention done.
          </p>
        </div>
      )}
    </aside>
  )
}
