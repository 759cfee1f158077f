import { Suspense } from 'react'
import type { BrandProfile } from '../../shared/domain'
import { ErrorBoundary } from './components/ErrorBoundary'
import { Toasts } from './features/alerts/Toasts'
import { useAlertEvents } from './features/alerts/use-alert-events'
import { useFollowUpReminders } from './features/alerts/use-follow-up-reminders'
import { useUnhandledCount } from './features/alerts/use-unhandled-count'
import { ContextPanel } from './features/context/ContextPanel'
import { useRecordSentReplies } from './features/compose/use-outbox'
import { useScheduledBackup } from './features/history/use-scheduled-backup'
import { QueueScreen } from './features/queue/QueueScreen'
import { SetupScreen } from './features/setup/SetupScreen'
import { useProfile } from './features/setup/use-profile'
import { useSourceFeed } from './features/sources/use-source-feed'
import {
  HistoryScreen,
  NotificationSettings,
  ReportsScreen,
  RoutingScreen,
  SourcesScreen,
} from './lazy-screens'
import { useServices } from './services'
import { AppHeader } from './shell/AppHeader'
import { Banners } from './shell/Banners'
import { selectScreen } from './store/selectors'
import { useAppStore } from './store/use-app-store'

/** The console: header, banners, and the current screen; first run goes to setup. */
export function App() {
  const { store } = useServices()
  const { load, retry, saved } = useProfile()
  const screen = useAppStore(selectScreen)
  const urgent = useUnhandledCount()
  useSourceFeed()
  useAlertEvents()
  useFollowUpReminders()
  useRecordSentReplies()
  useScheduledBackup()

  const profile = load.kind === 'ready' ? load.profile : null
  const onSaved = (next: BrandProfile) => {
    saved(next)
    store.getState().showScreen('queue')
    store.getState().pushToast({ title: `Saved. Listening for ${next.brand}.` })
  }

  let content
  if (load.kind === 'loading') {
    content = (
      <div className="splash" aria-busy="true">
        Connecting to Earshot…
      </div>
    )
  } else if (load.kind === 'error') {
    content = (
      <div className="empty">
        <h2 className="empty__title">Earshot could not load your brand profile</h2>
        <p className="empty__text">{load.message}</p>
        <button type="button" className="button button--primary" onClick={() => void retry()}>
          Try again
        </button>
      </div>
    )
  } else if (profile === null) {
    content = <SetupScreen initial={null} onSaved={onSaved} />
  } else if (screen === 'setup') {
    content = (
      <SetupScreen
        initial={profile}
        onSaved={onSaved}
        onCancel={() => store.getState().showScreen('queue')}
      />
    )
  } else if (screen === 'notifications') {
    content = (
      <ErrorBoundary area="notifications">
        <NotificationSettings />
      </ErrorBoundary>
    )
  } else if (screen === 'sources') {
    content = (
      <ErrorBoundary area="sources">
        <SourcesScreen profile={profile} />
      </ErrorBoundary>
    )
  } else if (screen === 'routing') {
    content = (
      <ErrorBoundary area="routing">
        <RoutingScreen />
      </ErrorBoundary>
    )
  } else if (screen === 'reports') {
    content = (
      <ErrorBoundary area="reports">
        <ReportsScreen profile={profile} />
      </ErrorBoundary>
    )
  } else if (screen === 'history') {
    content = (
      <div className="workspace">
        <ErrorBoundary area="history">
          <HistoryScreen />
        </ErrorBoundary>
        <ErrorBoundary area="mention details">
          <ContextPanel />
        </ErrorBoundary>
      </div>
    )
  } else {
    content = (
      <div className="workspace">
        <ErrorBoundary area="queue">
          <QueueScreen />
        </ErrorBoundary>
        <ErrorBoundary area="mention details">
          <ContextPanel />
        </ErrorBoundary>
      </div>
    )
  }

  return (
    <div className="app">
      <AppHeader brand={profile?.brand ?? null} urgent={urgent} />
      <Banners />
      <main className="app__main">
        <Suspense
          fallback={
            <div className="splash" aria-busy="true">
              Loading…
            </div>
          }
        >
          {content}
        </Suspense>
      </main>
      <Toasts />
    </div>
  )
}
