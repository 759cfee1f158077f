import { afterEach, describe, expect, it } from 'vitest'
import { ContextPanel } from '../../../../src/renderer/src/features/context/ContextPanel'
import { RoutingScreen } from '../../../../src/renderer/src/features/routing/RoutingScreen'
import { ingestBatch } from '../../../../src/renderer/src/db/ingest'
import { err, ok } from '../../../../src/shared/result'
import {
  DEFAULT_DEPARTMENTS,
  routingProblems,
  type RoutingSettings,
} from '../../../../src/shared/routing'
import { mention } from '../fixtures'
import { button, click, field, render, settle, testServices, type, waitFor } from '../render'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

/** Sets a textarea's or a select's value the way the user does, so React's onChange fires. */
async function typeInto(element: HTMLTextAreaElement | HTMLSelectElement, value: string) {
  await settle(() => {
    const proto = Object.getPrototypeOf(element) as object
    Reflect.set(proto, 'value', value, element)
    element.dispatchEvent(
      new Event(element instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }),
    )
  })
}

const initial: RoutingSettings = {
  departments: [...DEFAULT_DEPARTMENTS],
  rules: [
    {
      id: 'crisis-words',
      name: 'Crisis words',
      enabled: true,
      conditions: { words: ['lawyer', 'data breach'] },
      actions: { department: 'pr', alsoTo: ['executives'], notify: true },
      stopAfter: true,
    },
    {
      id: 'complaints',
      name: 'Complaints',
      enabled: true,
      conditions: { intent: ['complaint'] },
      actions: { department: 'customer-service' },
    },
  ],
}

/** The routing screen against a fake main that keeps what it is sent, checking it as main does. */
async function screen() {
  let stored = initial
  const saves: RoutingSettings[] = []
  const t = testServices({
    'routing:get': () => ok(stored),
    'triage:model': () =>
      ok({ corrections: 0, byKind: { sentiment: 0, intent: 0, urgent: 0 }, updatedAt: null }),
    'routing:save': (next: RoutingSettings) => {
      const problems = routingProblems(next)
      if (problems.length > 0) return err('invalid-input', problems.join('. '))
      saves.push(next)
      stored = next
      return ok(next)
    },
  })
  const view = await render(<RoutingScreen />, t.services)
  cleanup = view.unmount
  const page = view.container
  await waitFor(() => expect(page.querySelector('[data-rule-id="complaints"]')).not.toBeNull())
  const ruleNames = () =>
    [...page.querySelectorAll('[data-rule-id] .rule__name')].map((el) => el.textContent)
  return { ...t, page, saves, ruleNames }
}

describe('the routing screen', () => {
  it('lists the rules in order with what they do, and the departments', async () => {
    const { page, ruleNames } = await screen()
    expect(ruleNames()).toEqual(['Crisis words', 'Complaints'])
    const crisis = page.querySelector('[data-rule-id="crisis-words"]') as HTMLElement
    expect(crisis.textContent).toContain('route to PR and Executives · notify · stop here')
    const departments = [...page.querySelectorAll('.department__name')].map((el) => el.textContent)
    expect(departments).toEqual(['Customer service', 'Product', 'PR', 'Marketing', 'Executives'])
  })

  it('turns a rule off and moves a rule up, saving each change', async () => {
    const { page, saves, ruleNames } = await screen()
    const toggle = page.querySelector(
      '[data-rule-id="complaints"] input[role="switch"]',
    ) as HTMLInputElement
    await click(toggle)
    await waitFor(() => expect(saves).toHaveLength(1))
    expect(saves[0]?.rules[1]?.enabled).toBe(false)
    await click(button(page, 'Move Complaints up'))
    await waitFor(() => expect(ruleNames()).toEqual(['Complaints', 'Crisis words']))
    expect(saves[1]?.rules.map((r) => r.id)).toEqual(['complaints', 'crisis-words'])
    expect(page.textContent).toContain('Moved “Complaints” up.')
  })

  it('adds a rule through the form, saying first what is missing', async () => {
    const { page, saves, ruleNames } = await screen()
    await click(button(page, 'Add rule'))
    const form = page.querySelector('form[aria-label="New rule"]') as HTMLFormElement
    await click(button(form, 'Add rule'))
    expect(form.textContent).toContain('Give the rule a name')
    expect(form.textContent).toContain('Choose at least one thing the rule does')
    expect(saves).toHaveLength(0)
    // The error is tied to its field, so a screen reader reads it with the field.
    const name = field(form, 'Rule name')
    expect(name.getAttribute('aria-invalid')).toBe('true')
    const described = form.querySelector(`[id="${name.getAttribute('aria-describedby')}"]`)
    expect(described?.textContent).toContain('Give the rule a name')

    await type(field(form, 'Rule name'), 'Dark mode requests')
    await typeInto(form.querySelector('textarea') as HTMLTextAreaElement, 'dark mode, night theme')
    const select = [...form.querySelectorAll('select')].find((el) =>
      [...el.options].some((o) => o.value === 'product'),
    ) as HTMLSelectElement
    await typeInto(select, 'product')
    await click(button(form, 'Add rule'))
    await waitFor(() => expect(saves).toHaveLength(1))
    expect(saves[0]?.rules.at(-1)).toEqual({
      id: 'dark-mode-requests',
      name: 'Dark mode requests',
      enabled: true,
      conditions: { words: ['dark mode', 'night theme'] },
      actions: { department: 'product' },
    })
    await waitFor(() =>
      expect(ruleNames()).toEqual(['Crisis words', 'Complaints', 'Dark mode requests']),
    )
  })

  it('will not remove a department a rule routes to, and says which rule to change', async () => {
    const { page, saves } = await screen()
    await click(button(page, 'Remove Executives'))
    await click(button(page, 'Yes, remove'))
    const card = page.querySelector('[data-department-id="executives"]') as HTMLElement
    expect(card.textContent).toContain(
      'Executives is used by the rule “Crisis words”. Change it first.',
    )
    expect(saves).toHaveLength(0)
    await click(button(page, 'Remove Marketing'))
    await click(button(page, 'Yes, remove'))
    await waitFor(() => expect(saves).toHaveLength(1))
    expect(saves[0]?.departments.map((d) => d.id)).not.toContain('marketing')
  })

  it('edits a department, refusing a webhook that is not http(s)', async () => {
    const { page, saves } = await screen()
    await click(button(page, 'Edit PR'))
    const form = page.querySelector('form[aria-label="Edit department PR"]') as HTMLFormElement
    await type(field(form, 'Webhook URL'), 'file:///etc/passwd')
    await click(button(form, 'Save department'))
    expect(form.textContent).toContain('Enter the full webhook address, starting with https://')
    await type(field(form, 'Webhook URL'), 'https://hooks.slack.com/services/T0/B0/abc')
    await type(field(form, 'E-mail'), 'press@acme.example')
    await click(button(form, 'Save department'))
    await waitFor(() => expect(saves).toHaveLength(1))
    expect(saves[0]?.departments.find((d) => d.id === 'pr')).toEqual({
      id: 'pr',
      name: 'PR',
      email: 'press@acme.example',
      webhookUrl: 'https://hooks.slack.com/services/T0/B0/abc',
      followUpHours: 4,
    })
    // the card shows where the webhook points, not its secret path
    await waitFor(() =>
      expect(page.querySelector('[data-department-id="pr"]')?.textContent).toContain(
        'hooks.slack.com',
      ),
    )
    expect(page.querySelector('[data-department-id="pr"]')?.textContent).not.toContain('/T0/B0')
  })

  it('shows main refusing a save, in its words', async () => {
    const t = testServices({
      'routing:get': () => ok(initial),
      'triage:model': () =>
        ok({ corrections: 0, byKind: { sentiment: 0, intent: 0, urgent: 0 }, updatedAt: null }),
      'routing:save': () => err('invalid-input', 'Two rules are called “Complaints”'),
    })
    const view = await render(<RoutingScreen />, t.services)
    cleanup = view.unmount
    await waitFor(() => button(view.container, 'Move Complaints up'))
    await click(button(view.container, 'Move Complaints up'))
    await waitFor(() =>
      expect(view.container.querySelector('[role="alert"]')?.textContent).toBe(
        'Not saved: Two rules are called “Complaints”',
      ),
    )
  })
})

describe('the route in the context panel', () => {
  it('says where the rules sent the mention and why', async () => {
    const renamed = {
      ...initial,
      departments: initial.departments.map((d) =>
        d.id === 'pr' ? { ...d, name: 'Press office' } : d,
      ),
    }
    const t = testServices({ 'routing:get': () => ok(renamed) })
    const shown = mention(1)
    shown.triage.route = {
      department: 'pr',
      departments: ['pr', 'executives'],
      notify: true,
      rules: ['Crisis words'],
    }
    await ingestBatch(t.services.db, { seq: 1, sourceId: 'demo', mentions: [shown] })
    t.services.store.getState().select(shown.id)
    const view = await render(<ContextPanel />, t.services)
    cleanup = view.unmount
    await waitFor(() =>
      expect(view.container.querySelector('.route-summary')?.textContent).toBe(
        'Routed to Press office and Executives (rule: Crisis words)',
      ),
    )
    expect(view.container.querySelector('[aria-label="Route actions"]')?.textContent).toBe('Notify')
  })

  it('shows nothing about routing for a mention no rule fired for', async () => {
    const t = testServices({ 'routing:get': () => ok(initial) })
    const shown = mention(2)
    await ingestBatch(t.services.db, { seq: 1, sourceId: 'demo', mentions: [shown] })
    t.services.store.getState().select(shown.id)
    const view = await render(<ContextPanel />, t.services)
    cleanup = view.unmount
    await waitFor(() => expect(view.container.textContent).toContain(shown.text))
    expect(view.container.querySelector('[aria-label="Route"]')).toBeNull()
    expect(t.fake.calls.map((c) => c.name)).not.toContain('routing:get')
  })
})
