import type { SMTPServer } from 'smtp-server';

export interface ListenOutcome {
  ok: boolean;
  /** The port bound (the kernel's choice for 0), or the one asked for when the bind failed. */
  port: number;
  /** Why the bind failed, e.g. "EADDRINUSE listen EADDRINUSE: address already in use 127.0.0.1:587". */
  error?: string;
}

/**
 * Binds an smtp-server; a port that cannot be bound is reported, not thrown, so the service goes on with the
 * listeners it has. smtp-server re-emits its net server's errors as its own 'error' event, and an 'error' event
 * nobody listens to ends the process (leaving the children it started behind): the listener is attached before the
 * bind. Errors after the bind go to `onServerError`.
 */
export function listenSmtp(
  server: SMTPServer,
  port: number,
  host: string,
  onServerError: (err: Error) => void,
): Promise<ListenOutcome> {
  let bound = false;
  // Before the bind, the error is the bind's own and is the outcome below.
  server.on('error', (err: Error) => {
    if (bound) onServerError(err);
  });
  return new Promise((resolve) => {
    const failed = (err: NodeJS.ErrnoException): void =>
      resolve({ ok: false, port, error: `${err.code ?? ''} ${err.message}`.trim() });
    server.server.once('error', failed);
    server.listen(port, host, () => {
      server.server.off('error', failed);
      bound = true;
      const addr = server.server.address();
      resolve({ ok: true, port: typeof addr === 'object' && addr ? addr.port : port });
    });
  });
}

/** What to tell the operator about a port that could not be bound. */
export function bindFailureHint(port: number): string | undefined {
  return port < 1024 ? 'ports below 1024 need root or CAP_NET_BIND_SERVICE' : undefined;
}
