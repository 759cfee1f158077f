import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { openDatabase } from './db/database'
import { stateMirrorOf } from './db/state-mirror'
import { describeOpenFailure } from './db/storage-errors'
import { startSync } from './db/sync'
import { startWordIndexer } from './db/word-backlog'
import { noteBrandReplies } from './features/context/brand-replies'
import { firstRows } from './features/queue/first-rows'
import { connectHost } from './host/client'
import { ServicesContext, type Services } from './services'
import { createEarshotStore } from './store/store'
import './styles/base.css'
import './styles/shell.css'
import './styles/controls.css'
import './styles/badges.css'
import './styles/queue.css'
import './styles/context.css'
import './styles/pages.css'
import './styles/sources.css'
import './styles/setup.css'
import './styles/toasts.css'
import './styles/notifications.css'
import './styles/workspace.css'
import './styles/reports.css'
import './styles/compose.css'
import './styles/history.css'

// The page opens on the queue: reads over the whole history wait for its first rows.
firstRows.expect(5000)
// Created once, outside React, so StrictMode's double effects cannot start two sync loops.
const client = connectHost()
const db = openDatabase()
const store = createEarshotStore()
db.open().catch((cause: unknown) =>
  store.getState().setSync({ kind: 'error', message: describeOpenFailure(cause) }),
)
const sync = startSync(db, client, {
  connection: client.connection,
  onStatus: (status) => store.getState().setSync(status),
  // The brand's own replies heard by the poller mark what they answered ("answered elsewhere").
  afterStore: (mentions) => noteBrandReplies({ client, db }, mentions),
})
// Word rows are written after the ingest, in the page's quiet time (word-backlog.ts).
startWordIndexer(db)
// The queue's filters answer from memory once the states are loaded. The queue starts the load
// when its first rows are on screen; this starts it anyway a little later on another screen.
setTimeout(() => stateMirrorOf(db).startSoon(), 5000)
// Asks the browser not to evict the history under storage pressure.
void navigator.storage?.persist?.().catch(() => false)

const services: Services = { client, db, store, sync }
const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
createRoot(root).render(
  <StrictMode>
    <ServicesContext value={services}>
      <App />
    </ServicesContext>
  </StrictMode>,
)
