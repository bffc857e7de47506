'use strict';
const TOKEN_KEY = 'ismet-staff-token';
const LABELS = {
  companyName: 'Наименование', signerName: 'Подписант', signerPosition: 'Должность', authorityBasis: 'Действует на основании',
  binIin: 'БИН/ИИН', legalAddress: 'Юридический адрес', actualAddress: 'Фактический адрес', iik: 'ИИК (р/с)', bankName: 'Банк',
  kbe: 'КБе', bik: 'БИК', phone: 'Телефон', email: 'E-mail', personalDataConsent: 'Согласие на обработку ПД (п. 10.7)',
};
let selected = location.hash.slice(1) || null;

const hm = (minutes) => `${Math.floor(minutes / 60)} ч ${String(minutes % 60).padStart(2, '0')} мин`;

async function signIn() {
  try {
    const me = await api('GET', '/staff/v1/me');
    if (!me.roles.some((r) => r === 'moderator' || r === 'admin')) throw new Error('нужна роль moderator');
    signedIn('console', `${me.name} (${me.roles.join(', ')})`);
    calendarBanner(me);
    await loadQueue();
    if (selected) await show(selected);
  } catch (error) {
    notSignedIn(error);
  }
}

async function loadQueue() {
  const { applications } = await api('GET', '/staff/v1/join-applications');
  $('count').textContent = `(${applications.length})`;
  $('queue').innerHTML = applications.map((a) => `
    <tr data-id="${a.id}" class="${a.id === selected ? 'selected' : ''}">
      <td>${esc(a.number)}</td><td>${esc(a.form.companyName)}</td><td>${esc(a.binIin)}</td><td>${when(a.submittedAt)}</td>
      <td class="${a.waiting.remindersSent > 0 ? 'late' : ''}">${hm(a.waiting.workingMinutes)}${a.waiting.remindersSent ? ` · напоминаний: ${a.waiting.remindersSent}` : ''}</td>
    </tr>`).join('') || '<tr><td colspan="5">Очередь пуста.</td></tr>';
  for (const row of $('queue').querySelectorAll('tr[data-id]')) row.onclick = () => show(row.dataset.id);
}

async function show(id) {
  selected = id;
  location.hash = id;
  for (const row of $('queue').querySelectorAll('tr')) row.classList.toggle('selected', row.dataset.id === id);
  const a = await api('GET', `/staff/v1/join-applications/${id}`);
  const check = a.signatureCheck;
  const signer = check && check.signer || {};
  $('detail').innerHTML = `
    <h2>Заявление ${esc(a.number)} <small>${esc(a.status)}</small></h2>
    <div id="message"></div>
    <dl>${Object.entries(LABELS).map(([k, label]) => `<dt>${label}</dt><dd data-field="${k}">${esc(k === 'personalDataConsent' ? (a.form[k] ? 'дано' : 'нет') : a.form[k])}</dd>`).join('')}
      <dt>Подано</dt><dd>${when(a.submittedAt)}</dd><dt>Дата присоединения</dt><dd>${esc(a.joinedOn)} (договор с ${esc(a.effectiveFrom)})</dd>
      <dt>Ожидает</dt><dd>${hm(a.waiting.workingMinutes)} рабочего времени${a.waiting.reminderDueAt ? `; напоминание ${when(a.waiting.reminderDueAt)}` : ''}</dd>
    </dl>
    <h3>Проверка ЭЦП: <span id="signature-verdict" class="${check && check.valid ? 'ok' : 'bad'}">${check ? (check.valid ? 'подпись действительна' : 'подпись не принята') : 'нет данных'}</span></h3>
    <dl><dt>Владелец сертификата</dt><dd>${esc(signer.commonName)} ${signer.iin ? `ИИН ${esc(signer.iin)}` : ''} ${signer.bin ? `БИН ${esc(signer.bin)}` : ''}</dd>
      <dt>Издатель</dt><dd>${esc(signer.issuer)}</dd><dt>Срок действия</dt><dd>${when(signer.notBefore)} — ${when(signer.notAfter)}</dd>
      <dt>Время подписания</dt><dd>${when(check && check.signingTime)}</dd></dl>
    <ul id="checks">${(check ? check.checks : []).map((c) => `<li class="${c.ok ? 'ok' : 'bad'}">${c.ok ? '✓' : '✗'} ${esc(c.name)}: ${esc(c.detail)}</li>`).join('')}</ul>
    ${a.status === 'awaiting_moderation' ? `
      <p><button id="approve">Одобрить и активировать</button></p>
      <p><textarea id="reason" placeholder="Причина отказа (обязательна)"></textarea><br><button id="reject" class="secondary">Отказать в активации</button></p>`
      : `<p>Решение: ${esc(a.status)} ${a.decidedBy ? `— ${esc(a.decidedBy.name)}, ${when(a.decidedAt)}` : ''} ${a.decisionReason ? `<br>Причина: ${esc(a.decisionReason)}` : ''}</p>`}`;
  if ($('approve')) $('approve').onclick = () => decide(id, 'approve');
  if ($('reject')) $('reject').onclick = () => decide(id, 'reject');
}

async function decide(id, decision) {
  try {
    const reason = decision === 'reject' ? $('reason').value.trim() : undefined;
    if (decision === 'reject' && reason.length < 3) return say('error', 'Укажите причину отказа.');
    const a = await api('POST', `/staff/v1/join-applications/${id}/${decision}`, decision === 'reject' ? { reason } : {});
    await loadQueue();
    await show(id);
    say('info', a.status === 'approved' ? 'Клиент активирован, уведомление отправлено.' : 'Отказ оформлен, заявитель уведомлён.');
  } catch (error) {
    say('error', error.message);
  }
}

wireSignIn(TOKEN_KEY, signIn);
