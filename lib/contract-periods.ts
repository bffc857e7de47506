/** Periods the contract sets, in working days, shared by the workflows that wait on them and the activities that record them. */

/** The client signs or refuses an act or a reconciliation act within 5 working days of receiving it (6.8). */
export const SIGNING_WORKING_DAYS = 5;

/** Codes are applied to the goods within 30 working days of receipt (4.1.6). */
export const APPLICATION_WORKING_DAYS = 30;
