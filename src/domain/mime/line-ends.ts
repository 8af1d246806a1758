// SMTP carries every line end as CRLF (RFC 5321 2.3.8). A stored message may hold bare CRs or LFs (the ingress keeps
// the body as sent); nodemailer makes each one CRLF when it sends DATA, and so does this, once and in linear time,
// before nodemailer gets the message.

const CR = 0x0d;
const LF = 0x0a;

/** `raw` with each bare CR and each bare LF made CRLF; `raw` itself when it has none. */
export function withCrlfLineEnds(raw: Buffer): Buffer {
  let bare = 0;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i];
    if (byte === CR) {
      if (raw[i + 1] === LF) i++;
      else bare++;
    } else if (byte === LF) bare++;
  }
  if (bare === 0) return raw;
  // Byte by byte: a copy call per line would cost more than the line when lines are short.
  const out = Buffer.allocUnsafe(raw.length + bare);
  let written = 0;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i] as number;
    if (byte === CR || byte === LF) {
      if (byte === CR && raw[i + 1] === LF) i++;
      out[written++] = CR;
      out[written++] = LF;
    } else out[written++] = byte;
  }
  return out;
}
