import 'fake-indexeddb/auto'

// Tells React that tests wrap updates in act(), so it warns about any that escape.
;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

// Preferences and the cached brand profile must not leak from one test into the next.
import { afterEach } from 'vitest'
afterEach(() => globalThis.localStorage?.clear())

// No test reaches the network: happy-dom's window.open would load the page it opens (a DNS lookup
// for a fixture's https://example.com/… at least). A test that checks what was opened spies on
// this stand-in.
globalThis.window.open = () => null
