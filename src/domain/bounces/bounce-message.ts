// The shape the classifier reads: a message already split into decoded text parts. Parsing bytes (transfer
// encodings, charsets) is I/O-adjacent work done in src/bounces; everything from here on is plain string logic.

export interface MessageHeader {
  /** Lower-case field name. */
  name: string;
  /** Unfolded value with encoded-words decoded. */
  value: string;
}

export interface MessagePart {
  /** Lower-case media type, e.g. "text/plain", "message/delivery-status", "message/rfc822". */
  type: string;
  headers: MessageHeader[];
  /**
   * Decoded text. For message/rfc822 and text/rfc822-headers parts this is the header block of the returned
   * message only (its body is the sender's content, never evidence about the failure).
   */
  text: string;
  /** Headers of an attached message (message/rfc822), so the original recipients can be read. */
  attachedHeaders?: MessageHeader[];
  /** A part of a report forwarded inside the message (a message/rfc822 holding a multipart/report), not its own. */
  forwarded?: true;
}

/** Media types of a delivery status report's machine-readable part (RFC 3464, and RFC 6533's internationalised one). */
export const DELIVERY_STATUS_TYPES: ReadonlySet<string> = new Set([
  'message/delivery-status',
  'message/global-delivery-status',
]);

export interface BounceMessage {
  headers: MessageHeader[];
  /** Leaf parts in document order; multipart containers are flattened away. */
  parts: MessagePart[];
}

export function headerValue(headers: MessageHeader[], name: string): string | undefined {
  return headers.find((h) => h.name === name)?.value;
}

export function headerValues(headers: MessageHeader[], name: string): string[] {
  return headers.filter((h) => h.name === name).map((h) => h.value);
}
