import type { HandlePlatform } from '../../../../shared/domain'
import { handlePlatforms, newHandle, type HandleDraft } from './profile-draft'

type Props = { handles: HandleDraft[]; onChange: (handles: HandleDraft[]) => void }

/** The brand's own accounts: a mention of one of these is addressed to the brand. */
export function HandleRows({ handles, onChange }: Props) {
  const update = (key: number, patch: Partial<Omit<HandleDraft, 'key'>>) =>
    onChange(handles.map((row) => (row.key === key ? { ...row, ...patch } : row)))

  return (
    <fieldset className="field handles">
      <legend className="field__label">Your handles</legend>
      <p className="field__hint">
        The brand’s own accounts. Replies to them and @-mentions of them count as directed at you.
      </p>
      {handles.length === 0 ? <p className="muted">No handles yet.</p> : null}
      <ul className="handles__list">
        {handles.map((row, index) => {
          const placeholder = handlePlatforms.find(
            (entry) => entry.value === row.platform,
          )?.placeholder
          return (
            <li key={row.key} className="handles__row">
              <select
                className="input handles__platform"
                aria-label={`Platform ${index + 1}`}
                value={row.platform}
                onChange={(event) =>
                  update(row.key, { platform: event.target.value as HandlePlatform })
                }
              >
                {handlePlatforms.map((entry) => (
                  <option key={entry.value} value={entry.value}>
                    {entry.label}
                  </option>
                ))}
              </select>
              <input
                className="input"
                aria-label={`Handle ${index + 1}`}
                placeholder={placeholder}
                value={row.handle}
                onChange={(event) => update(row.key, { handle: event.target.value })}
              />
              <button
                type="button"
                className="button button--quiet button--icon"
                aria-label={`Remove row ${index + 1}`}
                onClick={() => onChange(handles.filter((entry) => entry.key !== row.key))}
              >
                ×
              </button>
            </li>
          )
        })}
      </ul>
      <button
        type="button"
        className="button button--small"
        onClick={() => onChange([...handles, newHandle()])}
      >
        Add handle
      </button>
    </fieldset>
  )
}
