import net from 'node:net';
import tls from 'node:tls';

/** A line-level SMTP client for protocol tests: send a command, get the full (multi-line) reply back. */
export class SmtpChat {
  private buffer = '';
  private waiters: Array<(reply: string) => void> = [];
  private replies: string[] = [];
  private constructor(private socket: net.Socket | tls.TLSSocket) {
    this.attach(socket);
  }

  static async connect(
    port: number,
    host = '127.0.0.1',
    localAddress?: string,
  ): Promise<{ chat: SmtpChat; greeting: string }> {
    const socket = net.connect({ port, host, localAddress });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const chat = new SmtpChat(socket);
    return { chat, greeting: await chat.next() };
  }

  private attach(socket: net.Socket | tls.TLSSocket): void {
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      this.buffer += d;
      // A reply ends with a line whose 4th character is a space ("250 ok"), after any "250-..." continuation lines.
      for (;;) {
        const m = /^(?:\d{3}-[^\r\n]*\r\n)*\d{3}(?: [^\r\n]*)?\r\n/.exec(this.buffer);
        if (!m) break;
        this.buffer = this.buffer.slice(m[0].length);
        const reply = m[0].trimEnd();
        const w = this.waiters.shift();
        if (w) w(reply);
        else this.replies.push(reply);
      }
    });
    socket.on('error', () => undefined);
  }

  next(timeoutMs = 10_000): Promise<string> {
    const queued = this.replies.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no SMTP reply within deadline')), timeoutMs);
      this.waiters.push((r) => {
        clearTimeout(t);
        resolve(r);
      });
    });
  }

  async send(line: string): Promise<string> {
    this.socket.write(line + '\r\n');
    return this.next();
  }

  async startTls(): Promise<string> {
    const reply = await this.send('STARTTLS');
    if (!reply.startsWith('220')) return reply;
    this.socket.removeAllListeners('data');
    const secure = tls.connect({ socket: this.socket, rejectUnauthorized: false, minVersion: 'TLSv1.2' });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve);
      secure.once('error', reject);
    });
    this.socket = secure;
    this.attach(secure);
    return reply;
  }

  /** AUTH PLAIN with an initial response. */
  authPlain(user: string, pass: string): Promise<string> {
    return this.send(`AUTH PLAIN ${Buffer.from(`\0${user}\0${pass}`).toString('base64')}`);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** A submission session as a mail client opens it: EHLO, STARTTLS, EHLO again, AUTH PLAIN (which must succeed). */
export async function openSubmission(port: number, user: string, pass: string): Promise<SmtpChat> {
  const { chat } = await SmtpChat.connect(port);
  await chat.send('EHLO client.test');
  const tls = await chat.startTls();
  if (!tls.startsWith('220')) throw new Error(`STARTTLS refused: ${tls}`);
  await chat.send('EHLO client.test');
  const auth = await chat.authPlain(user, pass);
  if (!auth.startsWith('235 ')) throw new Error(`AUTH refused: ${auth}`);
  return chat;
}

/** Every SMTP reply line must match RFC 5321's grammar: 3 digits, then '-' or ' ' (or end), then text. */
export function isWellFormedReply(reply: string): boolean {
  const lines = reply.split('\r\n');
  return lines.every((l, i) => (i < lines.length - 1 ? /^\d{3}-/.test(l) : /^\d{3}( |$)/.test(l)));
}
