import { ok } from '../../../src/shared/result'
import { DEFAULT_TEMPLATES } from '../../../src/shared/templates'
import { act, type ReactNode } from 'react'
import { createRoot } from 'react-dom/client'
import { createConnectionWatch, type HostClient } from '../../../src/renderer/src/host/connection'
import { ServicesContext, type Services } from '../../../src/renderer/src/services'
import { createEarshotStore } from '../../../src/renderer/src/store/store'
import { fakeClient, freshDb } from './fixtures'

/** Runs an update inside act and lets its microtasks (React, Dexie) finish. */
export async function settle(run: () => void) {
  await act(async () => {
    run()
    await Promise.resolve()
  })
}

/** Services with a fake host, a fresh database and a fresh store. */
export function testServices(handlers: Parameters<typeof fakeClient>[0] = {}) {
  const fake = fakeClient({
    // A host with healthy settings files, unless the test says otherwise.
    'app:info': () =>
      ok({ version: '0.0.0-test', host: 'web', dataDir: '/tmp/earshot-test', configProblems: [] }),
    // The composer's reads: the seeded templates and an empty outbox.
    'templates:list': () => ok([...DEFAULT_TEMPLATES]),
    'replies:list': () => ok([]),
    'replies:limit': () => ok({ platform: 'mastodon' as const, limit: 500 }),
    'mentions:thread': (input: { mention: unknown }) => ok([input.mention]),
    ...handlers,
  })
  const connection = createConnectionWatch('connected')
  const client: HostClient = { ...fake.client, kind: 'web', connection }
  const services: Services = { client, db: freshDb(), store: createEarshotStore(), sync: null }
  return { services, fake, connection }
}

export async function render(ui: ReactNode, services: Services) {
  const container = document.createElement('div')
  document.body.append(container)
  const root = createRoot(container)
  await settle(() => {
    root.render(<ServicesContext value={services}>{ui}</ServicesContext>)
  })
  return {
    container,
    unmount: () => {
      act(() => root.unmount())
      container.remove()
    },
  }
}

/** Retries an assertion while letting Dexie's live queries and React settle. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 2000): Promise<T> {
  const started = Date.now()
  for (;;) {
    try {
      return await check()
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error
      await act(async () => {
        await new Promise((resolve) => setTimeout(resolve, 10))
      })
    }
  }
}

export function button(container: HTMLElement, name: string): HTMLButtonElement {
  const found = [...container.querySelectorAll('button')].find(
    (candidate) => (candidate.getAttribute('aria-label') ?? candidate.textContent?.trim()) === name,
  )
  if (!found) throw new Error(`No button "${name}"`)
  return found
}

export function field(container: HTMLElement, label: string): HTMLInputElement {
  const labelElement = [...container.querySelectorAll('label')].find(
    (candidate) => candidate.textContent?.trim() === label,
  )
  const input = labelElement?.htmlFor
    ? container.querySelector(`[id="${labelElement.htmlFor}"]`)
    : null
  if (!(input instanceof HTMLInputElement)) throw new Error(`No field labelled "${label}"`)
  return input
}

export async function click(element: HTMLElement) {
  await settle(() => {
    element.click()
  })
}

/** Sets a value the way typing does, so React's onChange fires. */
export async function type(input: HTMLInputElement, value: string) {
  await settle(() => {
    // React tracks the value it set; going through the prototype's setter looks like typing.
    Reflect.set(HTMLInputElement.prototype, 'value', value, input)
    input.dispatchEvent(new Event('input', { bubbles: true }))
  })
}

export async function press(element: HTMLElement, key: string) {
  await settle(() => {
    element.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }))
  })
}
