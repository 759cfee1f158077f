import { useId, useRef, useState, type FormEvent } from 'react'
import type { BrandProfile } from '../../../../shared/domain'
import { useServices } from '../../services'
import { HandleRows } from './HandleRows'
import { fromDraft, toDraft, type DraftErrors, type ProfileDraft } from './profile-draft'
import { TagInput } from './TagInput'

type Props = {
  initial: BrandProfile | null
  onSaved: (profile: BrandProfile) => void
  /** Absent on first run: there is nothing to go back to. */
  onCancel?: () => void
}

/** What to listen for: asked on first run, editable later from "Brand". */
export function SetupScreen({ initial, onSaved, onCancel }: Props) {
  const { client } = useServices()
  const [draft, setDraft] = useState<ProfileDraft>(() => toDraft(initial))
  const [errors, setErrors] = useState<DraftErrors>({})
  const [busy, setBusy] = useState(false)
  const brandRef = useRef<HTMLInputElement>(null)
  const brandId = useId()
  const brandErrorId = useId()
  const firstRun = initial === null

  const patch = (change: Partial<ProfileDraft>) =>
    setDraft((current) => ({ ...current, ...change }))

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const checked = fromDraft(draft)
    if (!checked.ok) {
      setErrors(checked.errors)
      if (checked.errors.brand) brandRef.current?.focus()
      return
    }
    setErrors({})
    setBusy(true)
    const result = await client.call('profile:save', { profile: checked.profile })
    setBusy(false)
    if (!result.ok) return setErrors({ form: result.error.message })
    onSaved(result.value)
  }

  return (
    <section className="page page--narrow" aria-labelledby="setup-title">
      <header className="page__header">
        <h1 id="setup-title" className="page__title">
          {firstRun ? 'What should Earshot listen for?' : 'Brand'}
        </h1>
        <p className="page__lead">
          {firstRun
            ? 'Tell Earshot your brand, its accounts and the names people use. It finds mentions of them in every source and tells you which ones need you. You can change all of this later.'
            : 'What Earshot listens for in every source. Changes apply to mentions heard from now on.'}
        </p>
      </header>
      <form className="card setup" noValidate onSubmit={(event) => void submit(event)}>
        <div className="field">
          <label className="field__label" htmlFor={brandId}>
            Brand name
          </label>
          <input
            ref={brandRef}
            id={brandId}
            className="input"
            autoComplete="organization"
            placeholder="Acme"
            value={draft.brand}
            aria-required="true"
            aria-invalid={errors.brand !== undefined}
            aria-describedby={errors.brand ? brandErrorId : undefined}
            onChange={(event) => patch({ brand: event.target.value })}
          />
          {errors.brand ? (
            <p id={brandErrorId} className="form-error" role="alert">
              {errors.brand}
            </p>
          ) : null}
        </div>
        <HandleRows handles={draft.handles} onChange={(handles) => patch({ handles })} />
        <TagInput
          label="Product names"
          hint="Names people use for what you sell. Press Enter or type a comma after each."
          placeholder="Acme Cloud"
          tags={draft.products}
          onChange={(products) => patch({ products })}
        />
        <TagInput
          label="Competitor names"
          hint="Other brands people compare you with."
          placeholder="Globex"
          tags={draft.competitors}
          onChange={(competitors) => patch({ competitors })}
        />
        <TagInput
          label="Words to exclude"
          hint="Words that rule a mention out, such as another meaning of your brand name."
          placeholder="acme anvil"
          tags={draft.excluded}
          onChange={(excluded) => patch({ excluded })}
        />
        {errors.form ? (
          <p className="form-error" role="alert">
            {errors.form}
          </p>
        ) : null}
        <div className="setup__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save brand'}
          </button>
          {onCancel ? (
            <button type="button" className="button" onClick={onCancel}>
              Cancel
            </button>
          ) : null}
        </div>
      </form>
    </section>
  )
}
