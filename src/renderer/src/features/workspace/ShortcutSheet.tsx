import { Dialog } from './Dialog'
import { shortcuts } from './keymap'

/** Every shortcut of the workspace, straight from the keymap. */
export function ShortcutSheet({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} className="dialog--sheet">
      <dl className="shortcuts">
        {shortcuts.map((shortcut) => (
          <div key={shortcut.command} className="shortcuts__row">
            <dt>
              {shortcut.keys.map((key, index) => (
                <span key={key}>
                  {index > 0 ? <span className="shortcuts__or"> or </span> : null}
                  <kbd>{key}</kbd>
                </span>
              ))}
            </dt>
            <dd>{shortcut.label}</dd>
          </div>
        ))}
      </dl>
      <p className="dialog__note">
        Letters work when the cursor is not in a text field. Browser and system shortcuts (Ctrl or ⌘
        with R, W, T, L, F…) are never taken.
      </p>
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onClose} data-autofocus>
          Close
        </button>
      </div>
    </Dialog>
  )
}
