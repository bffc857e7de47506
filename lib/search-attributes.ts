import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes shared by every workflow, so the Temporal Web UI and
 * visibility queries can list processes by client, by their business status and
 * by the next deadline someone must meet. Keep the set small: SQL visibility caps
 * custom attributes per type. Registered by ops (dev server flags, compose script)
 * and by ensureSearchAttributes() at start.
 */
export const ClientId = defineSearchAttributeKey('ClientId', SearchAttributeType.KEYWORD);
export const BusinessStatus = defineSearchAttributeKey('BusinessStatus', SearchAttributeType.KEYWORD);
export const DeadlineAt = defineSearchAttributeKey('DeadlineAt', SearchAttributeType.DATETIME);

/** Support tickets (Прил. 3): agents list and filter them in the Web UI by these. */
export const TicketPriority = defineSearchAttributeKey('TicketPriority', SearchAttributeType.KEYWORD);
export const SupportLine = defineSearchAttributeKey('SupportLine', SearchAttributeType.INT);
export const ReactionDueAt = defineSearchAttributeKey('ReactionDueAt', SearchAttributeType.DATETIME);
export const ResolutionDueAt = defineSearchAttributeKey('ResolutionDueAt', SearchAttributeType.DATETIME);
export const SlaBreached = defineSearchAttributeKey('SlaBreached', SearchAttributeType.BOOL);

export const SEARCH_ATTRIBUTES = [
  ClientId,
  BusinessStatus,
  DeadlineAt,
  TicketPriority,
  SupportLine,
  ReactionDueAt,
  ResolutionDueAt,
  SlaBreached,
] as const;

/** Type names as the Temporal CLI spells them (`--search-attribute Name=Type`). */
export const CLI_TYPE_NAMES: Record<string, string> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};
