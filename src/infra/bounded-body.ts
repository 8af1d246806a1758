/**
 * The body of a fetch answer as text, read only up to `maxBytes`: past that the read is cancelled, which drops the
 * connection, and the answer is an error. `Response.text()` would hold the whole body in memory before any size could
 * be checked, so a peer that never stops sending would exhaust the process.
 */
export async function boundedText(res: Response, maxBytes: number, what: string): Promise<string> {
  const tooLarge = () => new Error(`${what} over ${maxBytes} bytes`);
  if (Number(res.headers.get('content-length') ?? 0) > maxBytes) {
    await res.body?.cancel();
    throw tooLarge();
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  // TextDecoder, as text() uses: UTF-8, a leading byte-order mark dropped, bad bytes replaced.
  return new TextDecoder().decode(Buffer.concat(chunks));
}
