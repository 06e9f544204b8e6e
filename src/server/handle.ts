/**
 * Typed registration of the custom requests of src/shared/protocol.ts. `connection.onRequest(type, h)`
 * infers the result type from both the request object and the handler, so a handler answering the wrong
 * shape still compiles (the result type widens to a union); here the result type is the request's only
 * (`NoInfer`), so a handler that answers anything else is a compile error.
 */
import type { Connection, Disposable, RequestType, RequestType0 } from 'vscode-languageserver/node';

export function onRequest<R>(
  connection: Connection,
  type: RequestType0<R, void>,
  handler: () => NoInfer<R>,
): Disposable;
export function onRequest<P, R>(
  connection: Connection,
  type: RequestType<P, R, void>,
  handler: (params: P) => NoInfer<R>,
): Disposable;
export function onRequest<P, R>(
  connection: Connection,
  type: RequestType<P, R, void> | RequestType0<R, void>,
  handler: (params: P) => R,
): Disposable {
  return type.numberOfParams === 0
    ? connection.onRequest(type as RequestType0<R, void>, () => (handler as () => R)())
    : connection.onRequest(type as RequestType<P, R, void>, (params: P) => handler(params));
}
