/* The report worker: figures for a range are computed here, off the page's thread, so the
   console never freezes while a 90-day report reads its mentions. */
import { DB_NAME } from '../../db/database'
import { systemZone } from './compute/calendar'
import type { FromWorker } from './protocol'
import { createReportRunner } from './report-runner'
import { openReportSource } from './report-source'

const scope = self as unknown as {
  postMessage(message: FromWorker): void
  onmessage: ((event: MessageEvent<unknown>) => void) | null
}

const runner = createReportRunner({
  open: () => openReportSource(DB_NAME),
  post: (message) => scope.postMessage(message),
  zone: systemZone,
})

scope.onmessage = (event) => void runner.receive(event.data)
