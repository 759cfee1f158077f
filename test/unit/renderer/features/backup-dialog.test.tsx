import { afterEach, describe, expect, it } from 'vitest'
import { formatAbsolute } from '../../../../src/renderer/src/components/format'
import {
  BackupDialog,
  lastBackupLine,
} from '../../../../src/renderer/src/features/history/BackupDialog'
import {
  readKeep,
  readSchedule,
} from '../../../../src/renderer/src/features/history/scheduled-backup'
import { err, ok } from '../../../../src/shared/result'
import { button, click, render, settle, testServices, waitFor } from '../render'

let cleanup: (() => void) | undefined
afterEach(() => {
  cleanup?.()
  localStorage.clear()
})

const older = {
  name: 'earshot-2026-12-01T09-00-00Z.json.gz',
  bytes: 2_400_000,
  at: Date.parse('2026-12-01T09:00:00Z'),
}
const newest = {
  name: 'earshot-2026-12-02T09-00-00Z.json.gz',
  bytes: 2_500_000,
  at: Date.parse('2026-12-02T09:00:00Z'),
}

describe('the backup dialog', () => {
  it('shows the last backup, lists the kept ones with Restore, and saves the schedule', async () => {
    const t = testServices({
      'backup:list': () => ok({ folder: '/data/backups', backups: [newest, older] }),
    })
    const view = await render(<BackupDialog onClose={() => {}} onSaveFile={() => {}} />, t.services)
    cleanup = view.unmount
    const text = () => view.container.textContent ?? ''
    await waitFor(() => expect(text()).toContain(`Last backup: ${formatAbsolute(newest.at)}`))
    expect(text()).toContain('/data/backups')
    expect(button(view.container, `Restore the backup of ${formatAbsolute(older.at)}`)).toBeTruthy()

    // Daily by default; choosing weekly is remembered for the next start.
    const select = view.container.querySelector<HTMLSelectElement>(
      'select[aria-label="Backup schedule"]',
    )!
    expect(select.value).toBe('daily')
    await settle(() => {
      select.value = 'weekly'
      select.dispatchEvent(new Event('change', { bubbles: true }))
    })
    expect(readSchedule()).toBe('weekly')

    // Restore asks first and changes nothing until confirmed.
    await click(button(view.container, `Restore the backup of ${formatAbsolute(older.at)}`))
    expect(text()).toContain('Replace your whole history')
    expect(t.fake.calls.some((call) => call.name === 'backup:read')).toBe(false)
  })

  it('keeps the number of backups chosen, and says which go at the next backup', async () => {
    const five = [0, 1, 2, 3, 4].map((day) => ({
      ...newest,
      name: `earshot-2026-11-2${day}T09-00-00Z.json.gz`,
      at: Date.parse(`2026-11-2${day}T09:00:00Z`),
    }))
    const t = testServices({
      'backup:list': () => ok({ folder: '/data/backups', backups: five.reverse() }),
    })
    const view = await render(<BackupDialog onClose={() => {}} onSaveFile={() => {}} />, t.services)
    cleanup = view.unmount
    const text = () => view.container.textContent ?? ''
    await waitFor(() => expect(text()).toContain('/data/backups'))
    const select = view.container.querySelector<HTMLSelectElement>(
      'select[aria-label="Backups kept"]',
    )!
    expect(select.value).toBe('7')
    expect(text()).not.toContain('deleted')
    await settle(() => {
      select.value = '3'
      select.dispatchEvent(new Event('change', { bubbles: true }))
    })
    expect(readKeep()).toBe(3)
    expect(text()).toContain('the oldest 3 are deleted at the next backup')
  })

  it('says when the backups cannot be listed', async () => {
    const t = testServices({ 'backup:list': () => err('network', 'Earshot is not running') })
    const view = await render(<BackupDialog onClose={() => {}} onSaveFile={() => {}} />, t.services)
    cleanup = view.unmount
    await waitFor(() =>
      expect(view.container.textContent).toContain(
        'Could not list the backups: Earshot is not running',
      ),
    )
  })
})

describe('the last backup line', () => {
  it('shows a failure newer than the last backup until a later backup succeeds', () => {
    const failed = {
      at: newest.at + 3_600_000,
      error: 'The disk is full, so this backup was not saved.',
    }
    expect(lastBackupLine(newest, failed)).toContain('The last attempt failed: The disk is full')
    expect(lastBackupLine(newest, { at: newest.at - 1, error: 'old trouble' })).toBe(
      `Last backup: ${formatAbsolute(newest.at)}`,
    )
    expect(lastBackupLine(undefined, null)).toBe('No scheduled backup yet')
  })
})
