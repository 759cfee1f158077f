/** One option of a filter select: the stored value and what the responder reads. */
export type Choice<T extends string> = { value: T; label: string }

type Props<T extends string> = {
  label: string
  /** What the empty choice says, e.g. "Any intent": picking it clears the filter. */
  any: string
  value: T | undefined
  choices: readonly Choice<T>[]
  onChange: (value: T | undefined) => void
}

/** A filter select whose first option means "no filter". The queue and History share it. */
export function ChoiceSelect<T extends string>({ label, any, value, choices, onChange }: Props<T>) {
  return (
    <select
      aria-label={label}
      value={value ?? ''}
      onChange={(event) => onChange((event.target.value || undefined) as T | undefined)}
    >
      <option value="">{any}</option>
      {choices.map((choice) => (
        <option key={choice.value} value={choice.value}>
          {choice.label}
        </option>
      ))}
    </select>
  )
}

/** Plain strings as choices that read as themselves (department names). */
export const plainChoices = <T extends string>(values: readonly T[]): Choice<T>[] =>
  values.map((value) => ({ value, label: value }))
