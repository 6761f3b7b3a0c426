// Tentacle HA Wizard: progressive enhancement. Every feature here has a
// plain form-post equivalent, so the wizard works without this file:
// tabs switch without a round trip, copy buttons, share links copied to
// the clipboard and opened from the URL fragment, import on file choice.
// The live preview itself is htmx (attributes on the form).
(() => {
  'use strict';
  const doc = document;
  doc.documentElement.classList.add('js');
  const wizard = () => doc.getElementById('wizard');

  // A polite live region for short confirmations ("Copied").
  let live;
  function announce(text) {
    if (!live) {
      live = doc.createElement('div');
      live.className = 'vh';
      live.setAttribute('role', 'status');
      doc.body.append(live);
    }
    live.textContent = '';
    setTimeout(() => { live.textContent = text; }, 30);
  }

  function showAlert(text) {
    const main = doc.getElementById('main');
    if (!main) return;
    const div = doc.createElement('div');
    div.className = 'alert';
    div.setAttribute('role', 'alert');
    div.dataset.testid = 'alert';
    div.textContent = text;
    main.prepend(div);
  }

  // Tabs of the preview (ARIA tabs: arrows, Home, End).
  function selectTab(tab, focus) {
    const list = tab.closest('[role=tablist]');
    for (const t of list.querySelectorAll('[role=tab]')) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      const panel = doc.getElementById(t.getAttribute('aria-controls'));
      if (panel) panel.hidden = !on;
    }
    const field = tab.closest('#preview')?.querySelector('input[name=tab]');
    if (field) field.value = tab.value;
    if (focus) tab.focus();
  }

  function initPreview() {
    for (const t of doc.querySelectorAll('#preview [role=tab]')) {
      t.tabIndex = t.getAttribute('aria-selected') === 'true' ? 0 : -1;
    }
    for (const b of doc.querySelectorAll('#preview button.copy')) b.hidden = false;
  }

  async function writeClipboard(text) {
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text);
        return true;
      }
    } catch (_) { /* fall back below */ }
    const ta = doc.createElement('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.className = 'vh';
    doc.body.append(ta);
    ta.select();
    let ok = false;
    try { ok = doc.execCommand('copy'); } catch (_) { ok = false; }
    ta.remove();
    return ok;
  }

  async function copyFile(button) {
    const code = doc.getElementById(button.dataset.copy);
    if (!code) return;
    const ok = await writeClipboard(code.textContent);
    button.textContent = ok ? 'Copied' : 'Copy failed';
    announce(ok ? 'Copied to the clipboard.' : 'Copying failed; select the text and press Ctrl+C.');
    setTimeout(() => { button.textContent = 'Copy'; }, 1800);
  }

  // Share: the server puts the plan in a fragment; the link is this page's
  // own address followed by it.
  async function share() {
    const box = doc.getElementById('share-box');
    const out = doc.getElementById('share-url');
    const status = doc.getElementById('share-status');
    box.hidden = false;
    try {
      const res = await fetch('/share', { method: 'POST', body: new FormData(wizard()) });
      if (!res.ok) throw new Error(`the server answered ${res.status}`);
      const { fragment } = await res.json();
      out.value = `${location.origin}/#${fragment}`;
      const ok = await writeClipboard(out.value);
      status.textContent = ok ? 'Link copied to the clipboard.' : 'Select the link and copy it.';
    } catch (err) {
      status.textContent = `The share link could not be made (${err.message}).`;
    }
    out.focus();
    out.select();
  }

  // Opening a share link: decompress the fragment and post it as the plan.
  async function openShared() {
    const m = /^#plan=([A-Za-z0-9_-]+)$/.exec(location.hash);
    try {
      if (!m) throw new Error('malformed');
      const bin = atob(m[1].replace(/-/g, '+').replace(/_/g, '/'));
      const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
      const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
      const json = await new Response(stream).text();
      JSON.parse(json);
      history.replaceState(null, '', location.pathname);
      submitWith('load', json);
    } catch (_) {
      showAlert('This share link is damaged or incomplete, so the wizard cannot open it. Ask for a new link, or import the plan.json instead.');
    }
  }

  function submitWith(op, planJSON) {
    const form = wizard();
    if (planJSON !== undefined) form.elements.plan.value = planJSON;
    const field = doc.createElement('input');
    field.type = 'hidden';
    field.name = 'op';
    field.value = op;
    form.append(field);
    form.submit();
  }

  doc.addEventListener('click', (e) => {
    const el = e.target.closest('[role=tab], button.copy, button[value=share]');
    if (!el) return;
    e.preventDefault();
    if (el.matches('[role=tab]')) selectTab(el, false);
    else if (el.matches('button.copy')) copyFile(el);
    else share();
  });

  doc.addEventListener('keydown', (e) => {
    const tab = e.target.closest?.('[role=tab]');
    if (!tab) return;
    const tabs = Array.from(tab.parentElement.querySelectorAll('[role=tab]'));
    let i = tabs.indexOf(tab);
    switch (e.key) {
      case 'ArrowRight': case 'ArrowDown': i = (i + 1) % tabs.length; break;
      case 'ArrowLeft': case 'ArrowUp': i = (i - 1 + tabs.length) % tabs.length; break;
      case 'Home': i = 0; break;
      case 'End': i = tabs.length - 1; break;
      default: return;
    }
    e.preventDefault();
    selectTab(tabs[i], true);
  });

  doc.addEventListener('change', (e) => {
    if (e.target.id === 'import-file' && e.target.files.length > 0) submitWith('import');
  });

  // Errors shown beside fields go as soon as they are fixed (new errors
  // wait for Next, so typing is not interrupted). The preview carries the
  // step's current errors by field.
  const controlID = (key) => `f-${key.replace(/\[/g, '-').replace(/\]/g, '').replace(/\./g, '-')}`;
  function refreshErrors() {
    let now;
    try { now = JSON.parse(doc.getElementById('preview')?.dataset.errors || '{}'); } catch (_) { return; }
    for (const list of doc.querySelectorAll('#main ul.problems')) {
      const key = list.dataset.testid.slice('problems-'.length);
      const shown = list.querySelectorAll('li.problem-error');
      if (shown.length === 0) continue;
      const messages = now[key] || [];
      shown.forEach((li, i) => {
        if (i < messages.length) li.lastChild.textContent = messages[i];
        else li.remove();
      });
      if (messages.length === 0) {
        doc.getElementById(controlID(key))?.removeAttribute('aria-invalid');
        list.closest('.field-invalid')?.classList.remove('field-invalid');
      }
    }
    const summary = doc.getElementById('error-summary');
    if (!summary || doc.getElementById('wizard')?.dataset.step === '4') return;
    for (const li of summary.querySelectorAll('li[data-key]')) {
      if (!now[li.dataset.key]) li.remove();
    }
    if (!summary.querySelector('li')) summary.remove();
  }

  // Controls that belong to another form (the API key of Check) sit
  // inside the wizard form: their typing must not post the wizard.
  doc.addEventListener('input', (e) => {
    const form = e.target.form;
    if (form && form.id !== 'wizard' && e.target.closest('#wizard')) e.stopPropagation();
  }, true);

  // A fragment of HTML from the wizard's own server as an element.
  function fragment(html) {
    const t = doc.createElement('template');
    t.innerHTML = html.trim();
    return t.content.firstElementChild;
  }

  // Register: the key goes in the body of one post, which starts the run;
  // its steps then stream in as server-sent events. Without this script
  // the post waits for the end and the page comes back with every step.
  async function register(form) {
    const list = doc.getElementById('register-steps');
    const status = doc.getElementById('register-status');
    const button = form.querySelector('[data-testid=register-start]');
    const key = form.elements.apiKey;
    const body = new FormData(form);
    key.value = '';
    for (const el of doc.querySelectorAll('#main > .alert, #register-api-key-problems')) el.remove();
    key.removeAttribute('aria-invalid');
    button.disabled = true;
    list.replaceChildren();
    const outcome = doc.createElement('div');
    outcome.id = 'register-outcome';
    outcome.hidden = true;
    doc.getElementById('register-outcome').replaceWith(outcome);
    list.closest('section').hidden = false;
    const stop = (text) => {
      showAlert(text);
      button.disabled = false;
      key.focus();
    };
    let res;
    let data = {};
    try {
      res = await fetch(form.action, { method: 'POST', body, headers: { Accept: 'application/json' } });
      data = await res.json().catch(() => ({}));
    } catch (_) {
      stop('The wizard\'s server does not answer, so the registration did not start.');
      return;
    }
    if (res.status !== 202 || !data.events) {
      stop(data.message || `The registration did not start (error ${res.status}).`);
      return;
    }
    let finished = false;
    const events = new EventSource(data.events);
    events.addEventListener('step', (m) => {
      const li = fragment(m.data);
      const old = doc.getElementById(li.id);
      if (old) old.replaceWith(li); else list.append(li);
      if (li.dataset.status !== 'running') {
        status.textContent = `${li.querySelector('.register-step-name').textContent}: ${li.dataset.status}`;
      }
    });
    events.addEventListener('done', (m) => {
      finished = true;
      events.close();
      const end = fragment(m.data);
      doc.getElementById('register-outcome').replaceWith(end);
      end.focus();
      button.disabled = false;
      button.textContent = 'Run again';
    });
    events.addEventListener('error', () => {
      if (finished || events.readyState !== EventSource.CLOSED) return;
      stop('The wizard stopped sending the steps. The run may still be going on: wait a minute, then run again (finished steps are skipped).');
    });
  }

  doc.addEventListener('submit', (e) => {
    if (e.target.id !== 'register-form' || !('EventSource' in window)) return;
    e.preventDefault();
    register(e.target);
  });

  // A check's result takes the focus, so it is read out.
  doc.addEventListener('htmx:afterSettle', (e) => {
    if (e.detail.requestConfig?.elt?.id === 'check-form') doc.getElementById('check-result')?.focus();
  });

  doc.addEventListener('htmx:afterSwap', () => { initPreview(); refreshErrors(); });
  // htmx visits every element it removes (cleanup events); the code lines
  // of the old preview hold no htmx state, so drop them first: the swap
  // then costs a fraction of the time.
  doc.addEventListener('htmx:beforeSwap', (e) => {
    if (e.detail.shouldSwap && e.detail.target?.id === 'preview') {
      for (const code of e.detail.target.querySelectorAll('pre.code > code')) code.textContent = '';
    }
  });
  const previewTrouble = (e) => {
    const xhr = e.detail.xhr;
    const rid = xhr && xhr.getResponseHeader('X-Request-Id');
    if (e.detail.elt?.id === 'check-form') {
      const note = doc.createElement('div');
      note.className = 'alert';
      note.setAttribute('role', 'alert');
      note.textContent = xhr && xhr.status
        ? `The check could not run (error ${xhr.status}${rid ? `, request id ${rid}` : ''}). Reload the wizard from the link it printed at start and try again.`
        : 'The wizard\'s server does not answer, so the check did not run.';
      doc.getElementById('check-result')?.replaceChildren(note);
      return;
    }
    announce('The preview could not be updated.');
    const p = doc.getElementById('preview');
    if (p && !p.querySelector('.preview-error')) {
      const note = doc.createElement('p');
      note.className = 'draft-note preview-error';
      note.setAttribute('role', 'alert');
      note.textContent = xhr && xhr.status
        ? `The preview could not be updated (error ${xhr.status}${rid ? `, request id ${rid}` : ''}). Use Next to check the form.`
        : 'The wizard\'s server does not answer, so the preview is not up to date.';
      p.querySelector('.preview-head')?.after(note);
    }
  };
  doc.addEventListener('htmx:responseError', previewTrouble);
  doc.addEventListener('htmx:sendError', previewTrouble);

  function ready() {
    initPreview();
    if (location.hash.startsWith('#plan=')) openShared();
    // The wizard is ready once this frame is painted: fields usable, the
    // preview rendered, htmx listening.
    requestAnimationFrame(() => setTimeout(() => performance.mark('wizard-ready'), 0));
  }
  if (doc.readyState === 'complete') ready();
  else doc.addEventListener('DOMContentLoaded', ready);
})();
