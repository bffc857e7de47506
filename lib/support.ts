/** The support service's rules (Прил. 3), shared by the ticket workflow, the API and the console. */

export type Priority = 'high' | 'medium' | 'low';
export type Line = 1 | 2 | 3;

/** A ticket's workflow input: what the API and the `openRequestedTicket` activity hand the `supportTicket` workflow. */
export interface SupportTicketInput {
  ticketId: string;
  number: string;
  clientId: string | null;
  subject: string;
  receivedAt: string;
  priority?: Priority;
}

/** Reaction (arrival at the line → classification), working minutes (Прил. 3 п.4d). */
export const REACTION_MINUTES: Record<Line, number> = { 1: 5, 2: 30, 3: 60 };
/** Resolution (solution, workaround or a forecast with reasons), working hours (Прил. 3 п.4e). */
export const RESOLUTION_HOURS: Record<Priority, number> = { high: 4, medium: 8, low: 24 };
/** The registration number reaches the client by e-mail within this many minutes (Прил. 3 п.2a). */
export const REGISTRATION_MINUTES = 5;
/** A resolved ticket closes when the client confirms, or after this many working days without an answer. */
export const CLOSE_AFTER_WORKING_DAYS = 5;
/** Agents of the line are warned when this share of a deadline's working time has passed. */
export const WARNING_SHARE = 0.8;

/** The contract's definitions, shown to agents as hints when they classify (Прил. 3 п.4e). */
export const PRIORITY_HINTS: Record<Priority, string> = {
  high: 'Нарушена работоспособность ИС МПТ или не работает функциональность критических бизнес-процессов: недоступность ИС МПТ для авторизации; не работает заказ и эмиссия кодов маркировки',
  medium:
    'Сбои в ИС МПТ, существенно влияющие на работоспособность: задержка в эмиссии; проблемы с передачей прав владения на товары; нет возможности агрегировать коды маркировки',
  low: 'Сбои, задержки, ошибки, не влияющие существенно на производственные процессы; не работают вспомогательные приложения при работающих основных процессах; прочие инциденты',
};

export const PRIORITY_NAMES: Record<Priority, string> = { high: 'высокий', medium: 'средний', low: 'низкий' };

/** A ticket's registration number in a subject line, e.g. «Re: [SD-2026-000123] …». */
export const TICKET_NUMBER = /\bSD-\d{4}-\d{6}\b/;
