import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';

// One JSON error shape for every HTTP API of the service (the api role and each relay's status API):
// {error: {code, message, details?}} with the matching HTTP status.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** The body of every error answer. */
export const errorBody = (code: string, message: string, details?: unknown) => ({
  error: { code, message, ...(details ? { details } : {}) },
});

export const notFound = (what: string): ApiError => new ApiError(404, 'not_found', `${what} not found`);

export const errorHandler: ErrorRequestHandler = (err: unknown, _req, res, next) => {
  if (res.headersSent) return next(err);
  if (err instanceof ApiError) {
    res.status(err.status).json(errorBody(err.code, err.message, err.details));
    return;
  }
  if (err instanceof z.ZodError) {
    const details = err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    res
      .status(400)
      .json(
        errorBody(
          'invalid_request',
          details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; '),
          details,
        ),
      );
    return;
  }
  const status = (err as { status?: number; type?: string }).status;
  if (status === 400 || (err as { type?: string }).type === 'entity.parse.failed') {
    res.status(400).json(errorBody('invalid_json', 'request body is not valid JSON'));
    return;
  }
  if (status === 413) {
    res.status(413).json(errorBody('too_large', 'request body too large'));
    return;
  }
  res.status(500).json(errorBody('internal', 'internal error'));
};

export const unknownRoute: RequestHandler = (req, res) => {
  res.status(404).json(errorBody('not_found', `no route for ${req.method} ${req.path}`));
};

/**
 * Requests Node's HTTP parser refuses before the app sees them get the same JSON error shape: a request line and
 * headers over its 16 KiB limit (HPE_HEADER_OVERFLOW, RFC 6585's 431), anything else it cannot parse a 400. Node's
 * default answer has the status and no body.
 */
export function answerUnparsableRequests(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, reason, code, message] =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', 'too_large', 'request line and headers over 16 KiB']
        : [400, 'Bad Request', 'invalid_request', 'malformed HTTP request'];
    const body = JSON.stringify(errorBody(code, message));
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
