// The one interface every way out implements: SMTP, the signed webhook, the local
// mailbox. A transport sends one message and answers the id its provider gave
// it, or throws a DeliveryError that says whether trying again could help
// (transient: the network, a busy server) or not (permanent: the provider
// refused this message). The delivery worker retries only the transient ones.
import type { Channel, DeliveryTransport as TransportKind, OutboundPurpose } from '../../db/generated/prisma/enums.js';

/** A message as a transport sees it. */
export interface OutgoingMessage {
  id: string;
  leadId: string | null;
  purpose: OutboundPurpose;
  channel: Channel;
  template: string;
  recipient: string;
  subject: string | null;
  body: string;
  scheduledFor: Date;
  /** What the provider keys on to drop a repeated send: the same on every try of one message. */
  dedupKey: string;
  /** 1 on the first try. */
  attempt: number;
}

export interface DeliveryReceipt {
  /** The provider's id of the message (SMTP: the Message-ID; webhook: the id it answered, or the dedup key). */
  providerMessageId: string;
}

export interface DeliveryTransport {
  readonly kind: TransportKind;
  send(message: OutgoingMessage): Promise<DeliveryReceipt>;
  /** Releases connections (the SMTP pool). */
  close(): Promise<void>;
}

export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    message: string,
    /** True when a later try may succeed (network, 4xx SMTP, HTTP 429/5xx). */
    readonly transient: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A DeliveryError as is; anything else (a bug, an unexpected throw) is treated as transient, so it is retried and finally FAILED with its message. */
export function asDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  return new DeliveryError(error instanceof Error ? error.message : String(error), true, { cause: error });
}
