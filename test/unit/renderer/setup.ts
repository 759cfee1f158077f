import 'fake-indexeddb/auto'

// Tells React that tests wrap updates in act(), so it warns about any that escape.
;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

// Preferences and the cached brand profile must not leak from one test into the next.
import { afterEach } from 'vitest'
afterEach(() => globalThis.localStorage?.clear())
