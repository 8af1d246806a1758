import type { BlocklistVerdict, DnsOutcome, LookupKind } from './dnsbl.js';
import type { SignalJudgement } from './own-signals.js';

// A reputation scan's answers, as plain data: each blocklist lookup with its verdict, and the own signals judged per
// subject. They travel through the workflow history (so it shows every answer) and are what decideScanActions reads.

export interface LookupBatch {
  zone: string;
  kind: LookupKind;
  subjects: string[];
}

export interface LookupResult {
  subject: string;
  queryName: string;
  outcome: DnsOutcome;
  verdict: BlocklistVerdict;
}

export interface LookupBatchResult {
  zone: string;
  kind: LookupKind;
  results: LookupResult[];
}

export interface SubjectSignals {
  subject: string;
  kind: LookupKind;
  judgement: SignalJudgement;
  sampleReplies: string[];
}
