import { lazy } from 'react'

/*
 * The screens away from the queue load on first visit: the queue paints without parsing the
 * charting library, the history search or the settings forms first.
 */
export const ReportsScreen = lazy(() =>
  import('./features/reports/ReportsScreen').then((m) => ({ default: m.ReportsScreen })),
)
export const HistoryScreen = lazy(() =>
  import('./features/history/HistoryScreen').then((m) => ({ default: m.HistoryScreen })),
)
export const RoutingScreen = lazy(() =>
  import('./features/routing/RoutingScreen').then((m) => ({ default: m.RoutingScreen })),
)
export const SourcesScreen = lazy(() =>
  import('./features/sources/SourcesScreen').then((m) => ({ default: m.SourcesScreen })),
)
export const NotificationSettings = lazy(() =>
  import('./features/settings/NotificationSettings').then((m) => ({
    default: m.NotificationSettings,
  })),
)
