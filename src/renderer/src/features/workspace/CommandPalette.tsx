import { useState } from 'react'
import { Dialog } from './Dialog'
import { rankCommands, type PaletteCommand } from './palette'

type Props = { commands: readonly PaletteCommand[]; onClose: () => void }

/** Type a few letters of a command, pick it with the arrows, run it with Enter. */
export function CommandPalette({ commands, onClose }: Props) {
  const [query, setQuery] = useState('')
  const [active, setActive] = useState(0)
  const ranked = rankCommands(query, commands)
  const current = Math.min(active, Math.max(0, ranked.length - 1))

  const run = (command: PaletteCommand | undefined) => {
    if (!command) return
    onClose()
    command.run()
  }

  const onKeyDown = (event: React.KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault()
      setActive(Math.min(current + 1, ranked.length - 1))
    } else if (event.key === 'ArrowUp') {
      event.preventDefault()
      setActive(Math.max(current - 1, 0))
    } else if (event.key === 'Enter') {
      event.preventDefault()
      run(ranked[current])
    }
  }

  return (
    <Dialog title="Command palette" onClose={onClose} className="dialog--palette">
      <input
        className="input palette__input"
        type="text"
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-list"
        aria-activedescendant={ranked[current] ? `palette-${ranked[current].id}` : undefined}
        aria-label="Command"
        placeholder="Type a command…"
        value={query}
        onChange={(event) => {
          setQuery(event.target.value)
          setActive(0)
        }}
        onKeyDown={onKeyDown}
        data-autofocus
      />
      <ul id="palette-list" className="palette__list" role="listbox" aria-label="Commands">
        {ranked.length === 0 ? (
          <li className="palette__empty">No command matches “{query}”.</li>
        ) : (
          ranked.map((command, index) => (
            <li
              key={command.id}
              id={`palette-${command.id}`}
              role="option"
              aria-selected={index === current}
              className="palette__option"
              onMouseEnter={() => setActive(index)}
              onClick={() => run(command)}
            >
              <span>{command.label}</span>
              {command.hint ? <kbd className="palette__hint">{command.hint}</kbd> : null}
            </li>
          ))
        )}
      </ul>
    </Dialog>
  )
}
