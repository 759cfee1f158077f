import { Component, type ReactNode } from 'react'
import { describeError } from '../../../shared/result'

type Props = { area: string; children: ReactNode }
type State = { error: unknown }

/** Keeps one broken panel from blanking the whole console; offers a retry in place. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null }

  static getDerivedStateFromError(error: unknown): State {
    return { error }
  }

  override render() {
    if (this.state.error === null) return this.props.children
    return (
      <div className="empty" role="alert">
        <h2 className="empty__title">The {this.props.area} could not be shown</h2>
        <p className="empty__text">{describeError(this.state.error)}</p>
        <button type="button" className="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    )
  }
}
