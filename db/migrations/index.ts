import type { Knex } from 'knex';
import * as foundation from './20261124_001_foundation';
import * as calendar from './20261125_002_calendar';
import * as noticeAnswers from './20261125_003_notice_answers';
import * as joining from './20261125_004_joining';
import * as ledger from './20261126_005_ledger';
import * as paymentsInvoices from './20261126_006_payments_invoices';
import * as ordersCodes from './20261126_007_orders_codes';
import * as downloads from './20261126_008_downloads';
import * as acts from './20261126_009_acts';
import * as tickets from './20261126_010_tickets';
import * as forceMajeure from './20261126_011_force_majeure';
import * as lifecycle from './20261126_012_lifecycle';
import * as calendarHorizon from './20261203_013_calendar_horizon';
import * as orderStationKz from './20261203_014_order_station_kz';
import * as refundClauses from './20261203_015_refund_clauses';
import * as claimsAfterContract from './20261203_016_claims_after_contract';
import * as forceMajeureWellKnown from './20261203_017_force_majeure_well_known';
import * as contractEnding from './20261203_018_contract_ending';
import * as pricingChanges from './20261203_019_pricing_changes';
import * as reconciliationSigning from './20261203_020_reconciliation_signing';
import * as claimAuthority from './20261203_021_claim_authority';
import * as forceMajeureDeclarations from './20261203_022_force_majeure_declarations';
import * as ticketRegistrationWatch from './20261203_023_ticket_registration_watch';
import * as actServices from './20261203_024_act_services';
import * as mailIntake from './20261203_025_mail_intake';
import * as tokenScopes from './20261203_026_token_scopes';
import * as manualCredits from './20261203_027_manual_credits';
import * as signedInstructions from './20261203_028_signed_instructions';
import * as edsTrustStore from './20261203_029_eds_trust_store';
import * as productRights from './20261203_030_product_rights';
import * as staffSignIn from './20261203_031_staff_sign_in';
import * as clientRegistrations from './20261203_032_client_registrations';
import * as clientPeople from './20261204_033_client_people';
import * as documentsNumberedThenRendered from './20261204_034_documents_numbered_then_rendered';
import * as workflowOutbox from './20261204_036_workflow_outbox';
import * as actsNumberedThenRendered from './20261204_037_acts_numbered_then_rendered';
import * as ledgerTotals from './20261205_038_ledger_totals';
import * as authChanges from './20261205_039_auth_changes';
import * as codesCopySafe from './20261205_040_codes_copy_safe';
import * as clientLanguage from './20261205_041_client_language';
import * as userLanguage from './20261205_042_user_language';

/**
 * Migrations in order. Listed here (not discovered on disk) so they run the same from
 * TypeScript sources, compiled dist/ and jest. Append new ones; never edit a released one.
 */
export const migrations: Record<string, Knex.Migration> = {
  '20261124_001_foundation': foundation,
  '20261125_002_calendar': calendar,
  '20261125_003_notice_answers': noticeAnswers,
  '20261125_004_joining': joining,
  '20261126_005_ledger': ledger,
  '20261126_006_payments_invoices': paymentsInvoices,
  '20261126_007_orders_codes': ordersCodes,
  '20261126_008_downloads': downloads,
  '20261126_009_acts': acts,
  '20261126_010_tickets': tickets,
  '20261126_011_force_majeure': forceMajeure,
  '20261126_012_lifecycle': lifecycle,
  '20261203_013_calendar_horizon': calendarHorizon,
  '20261203_014_order_station_kz': orderStationKz,
  '20261203_015_refund_clauses': refundClauses,
  '20261203_016_claims_after_contract': claimsAfterContract,
  '20261203_017_force_majeure_well_known': forceMajeureWellKnown,
  '20261203_018_contract_ending': contractEnding,
  '20261203_019_pricing_changes': pricingChanges,
  '20261203_020_reconciliation_signing': reconciliationSigning,
  '20261203_021_claim_authority': claimAuthority,
  '20261203_022_force_majeure_declarations': forceMajeureDeclarations,
  '20261203_023_ticket_registration_watch': ticketRegistrationWatch,
  '20261203_024_act_services': actServices,
  '20261203_025_mail_intake': mailIntake,
  '20261203_026_token_scopes': tokenScopes,
  '20261203_027_manual_credits': manualCredits,
  '20261203_028_signed_instructions': signedInstructions,
  '20261203_029_eds_trust_store': edsTrustStore,
  '20261203_030_product_rights': productRights,
  '20261203_031_staff_sign_in': staffSignIn,
  '20261203_032_client_registrations': clientRegistrations,
  '20261204_033_client_people': clientPeople,
  '20261204_034_documents_numbered_then_rendered': documentsNumberedThenRendered,
  '20261204_036_workflow_outbox': workflowOutbox,
  '20261204_037_acts_numbered_then_rendered': actsNumberedThenRendered,
  '20261205_038_ledger_totals': ledgerTotals,
  '20261205_039_auth_changes': authChanges,
  '20261205_040_codes_copy_safe': codesCopySafe,
  '20261205_041_client_language': clientLanguage,
  '20261205_042_user_language': userLanguage,
};
