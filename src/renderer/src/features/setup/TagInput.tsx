import { useId, useState, type KeyboardEvent } from 'react'

type Props = {
  label: string
  hint: string
  tags: string[]
  placeholder?: string
  onChange: (tags: string[]) => void
}

/** Words as chips: Enter or a comma adds, × or Backspace on an empty field removes. */
export function TagInput({ label, hint, tags, placeholder, onChange }: Props) {
  const [text, setText] = useState('')
  const inputId = useId()
  const hintId = useId()

  const add = (values: string[]) => {
    const known = new Set(tags.map((tag) => tag.toLowerCase()))
    const fresh: string[] = []
    for (const value of values.map((entry) => entry.trim())) {
      if (value === '' || known.has(value.toLowerCase())) continue
      known.add(value.toLowerCase())
      fresh.push(value)
    }
    if (fresh.length > 0) onChange([...tags, ...fresh])
  }

  const change = (value: string) => {
    // Typing or pasting a comma commits everything before it.
    const parts = value.split(',')
    const rest = parts.pop() ?? ''
    if (parts.length > 0) add(parts)
    setText(rest)
  }

  const keyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault()
      add([text])
      setText('')
    } else if (event.key === 'Backspace' && text === '' && tags.length > 0) {
      onChange(tags.slice(0, -1))
    }
  }

  return (
    <div className="field">
      <label className="field__label" htmlFor={inputId}>
        {label}
      </label>
      <p id={hintId} className="field__hint">
        {hint}
      </p>
      <div className="tags">
        {tags.length > 0 ? (
          <ul className="tags__list">
            {tags.map((tag) => (
              <li key={tag} className="tag">
                {tag}
                <button
                  type="button"
                  className="tag__remove"
                  aria-label={`Remove ${tag}`}
                  onClick={() => onChange(tags.filter((entry) => entry !== tag))}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        <input
          id={inputId}
          className="tags__input"
          value={text}
          placeholder={placeholder}
          aria-describedby={hintId}
          onChange={(event) => change(event.target.value)}
          onKeyDown={keyDown}
          onBlur={() => {
            add([text])
            setText('')
          }}
        />
      </div>
    </div>
  )
}
