import { useEffect, useRef, type ReactNode } from 'react'

type Props = {
  title: string
  onClose: () => void
  children: ReactNode
  className?: string
}

/**
 * A modal over the workspace: focus moves into it and returns where it was on close; Escape and
 * a click on the backdrop close it; Tab stays inside.
 */
export function Dialog({ title, onClose, children, className }: Props) {
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null
    const first = ref.current?.querySelector<HTMLElement>('[data-autofocus], input, button, select')
    ;(first ?? ref.current)?.focus()
    return () => before?.focus({ preventScroll: true })
  }, [])
  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault()
      event.stopPropagation()
      onClose()
      return
    }
    if (event.key !== 'Tab' || !ref.current) return
    const focusable = [
      ...ref.current.querySelectorAll<HTMLElement>('input, button, select, [tabindex="0"]'),
    ].filter((el) => !el.hasAttribute('disabled'))
    const [first, last] = [focusable[0], focusable.at(-1)]
    if (!first || !last) return
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault()
      last.focus()
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault()
      first.focus()
    }
  }
  return (
    <div
      className="dialog-backdrop"
      onMouseDown={(event) => event.target === event.currentTarget && onClose()}
    >
      <div
        ref={ref}
        className={['dialog', className].filter(Boolean).join(' ')}
        role="dialog"
        aria-modal="true"
        aria-label={title}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <h2 className="dialog__title">{title}</h2>
        {children}
      </div>
    </div>
  )
}
