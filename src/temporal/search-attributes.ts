import { defineSearchAttributeKey } from '@temporalio/common';

// Custom search attributes so ops can filter message workflows in the Temporal UI
// (e.g. `AccountId = "..." AND DeliveryStatus = "bounced"`).
export const searchAttributeDeclarations = {
  AccountId: 'Keyword',
  SenderDomain: 'Keyword',
  DeliveryStatus: 'Keyword',
} as const;

export const AccountIdKey = defineSearchAttributeKey('AccountId', 'KEYWORD');
export const SenderDomainKey = defineSearchAttributeKey('SenderDomain', 'KEYWORD');
export const DeliveryStatusKey = defineSearchAttributeKey('DeliveryStatus', 'KEYWORD');
