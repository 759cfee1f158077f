import { afterEach, describe, expect, it } from 'vitest'
import {
  ImportDialog,
  RestoreDialog,
} from '../../../../src/renderer/src/features/history/DataDialogs'
import { render, settle, testServices, waitFor } from '../render'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

/** Chooses `file` in the dialog's file field, as the browser's picker does. */
async function choose(container: HTMLElement, label: string, file: File) {
  const input = container.querySelector<HTMLInputElement>(`input[aria-label="${label}"]`)!
  Object.defineProperty(input, 'files', { value: [file], configurable: true })
  await settle(() => input.dispatchEvent(new Event('change', { bubbles: true })))
}

const alertText = (container: HTMLElement) =>
  container.querySelector('[role="alert"]')?.textContent ?? null

describe('the import and restore dialogs', () => {
  it('import: says what is wrong with a file, then moves on with a good one', async () => {
    const view = await render(<ImportDialog onClose={() => {}} />, testServices().services)
    cleanup = view.unmount
    expect(alertText(view.container)).toBeNull()
    await choose(
      view.container,
      'File to import',
      new File([''], 'empty.csv', { type: 'text/csv' }),
    )
    await waitFor(() => expect(alertText(view.container)).toBe('empty.csv has no rows.'))
    const csv = 'text,author\nStill no refund,ana\n'
    await choose(view.container, 'File to import', new File([csv], 'ok.csv', { type: 'text/csv' }))
    await waitFor(() => expect(view.container.querySelector('input[type="file"]')).toBeNull())
    expect(alertText(view.container)).toBeNull()
  })

  it('restore: refuses a file that is no Earshot backup, and asks nothing', async () => {
    const view = await render(<RestoreDialog onClose={() => {}} />, testServices().services)
    cleanup = view.unmount
    const junk = new File(['{"hello":"world"}'], 'notes.json', { type: 'application/json' })
    await choose(view.container, 'Backup file', junk)
    await waitFor(() => expect(alertText(view.container)).not.toBeNull())
    expect(view.container.textContent).not.toContain('Replace your whole history')
  })
})
