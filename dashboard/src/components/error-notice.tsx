// An error said plainly: what failed and the API's own message (it names the
// field or the role needed), never a blank panel.
import type { CombinedError } from 'urql';

export function ErrorNotice({ error, title = 'Something went wrong' }: { error: CombinedError | Error | string; title?: string }) {
  const messages =
    typeof error === 'string'
      ? [error]
      : 'graphQLErrors' in error && error.graphQLErrors.length > 0
        ? error.graphQLErrors.map((graphQLError) => graphQLError.message)
        : [
            error instanceof Error && 'networkError' in error && error.networkError
              ? `Baton did not answer: ${error.networkError.message}`
              : String((error as Error).message ?? error),
          ];
  return (
    <div role="alert" className="notice notice-error">
      <strong>{title}</strong>
      {messages.map((message) => (
        <p key={message}>{message}</p>
      ))}
    </div>
  );
}
