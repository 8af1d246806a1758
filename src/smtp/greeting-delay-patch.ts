import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';

// smtp-server waits a fixed 100 ms before every greeting (to spot clients that talk before being greeted), with no
// option to turn it off. Apps that open one connection per message (most ERP/CRM plugins) then cannot exceed ~10
// messages/s per session: the benchmark measured the greeting at 112 ms of a ~150 ms submission. Submission here is
// authenticated, so early-talker detection buys little; this greets at once, keeping the connection-limit check.
let applied = false;

interface PatchedConnection {
  _server: { options: { maxClients?: number }; connections: Set<unknown> };
  _setListeners(callback: () => void): void;
  connectionReady(): void;
}

export function applyNoGreetingDelayPatch(): void {
  if (applied) return;
  applied = true;
  const proto = SMTPConnection.prototype as unknown as PatchedConnection;
  const original = proto._setListeners;
  proto._setListeners = function _setListeners(this: PatchedConnection, callback: () => void): void {
    original.call(this, () => {
      const { maxClients } = this._server.options;
      // Over the limit: let smtp-server's own callback answer 421 as before.
      if (maxClients && this._server.connections.size > maxClients) return callback();
      this.connectionReady();
    });
  };
}
