// Tentacle HA Wizard: what no library does. htmx and its SSE extension
// make every request and swap every fragment (the live preview, the errors
// it takes away, the share box, Check, the Register page and its stream);
// the server renders them all. This file keeps the tabs of the preview,
// the clipboard (and asking before a draft's file is copied), opening a
// share link from the URL fragment (on load and on hashchange), which
// fields' problems follow the input (errorShown once a field was left),
// Enter that does not press Next, import on file choice, and what to say
// when a request got no usable answer. Every feature has a plain
// form-post equivalent, so the wizard works without it.
(() => {
  'use strict';
  const doc = document;
  doc.documentElement.classList.add('js');

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
    for (const b of doc.querySelectorAll('#preview button.copy, button.setup-copy')) b.hidden = false;
  }

  // The wizard is served over HTTPS or from this machine: both are secure
  // contexts, where the asynchronous clipboard is there.
  async function writeClipboard(text) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (_) {
      return false;
    }
  }

  async function copyFile(button) {
    const code = doc.getElementById(button.dataset.copy);
    if (!code) return;
    const ok = await writeClipboard(code.textContent);
    button.textContent = ok ? 'Copied' : 'Copy failed';
    announce(ok ? 'Copied to the clipboard.' : 'Copying failed; select the text and press Ctrl+C.');
    setTimeout(() => { button.textContent = 'Copy'; }, 1800);
  }

  // A draft's files hold example values (the preview says which): Copy
  // first asks, in the panel, whether to copy one anyway. An inline
  // question rather than window.confirm, which screen readers announce
  // poorly and which cannot say which values are examples.
  function askCopy(button) {
    const panel = button.closest('.panel');
    let box = panel.querySelector('.copy-confirm');
    if (!box) {
      const id = `${button.dataset.copy}-confirm`;
      box = doc.createElement('div');
      box.className = 'copy-confirm';
      box.setAttribute('role', 'group');
      box.setAttribute('aria-labelledby', `${id}-text`);
      box.dataset.testid = 'copy-confirm';
      const text = doc.createElement('p');
      text.id = `${id}-text`;
      text.textContent = 'This file is a draft: example values stand in for fields that are empty or not valid yet, and its first line says DRAFT. Copy it anyway?';
      const yes = doc.createElement('button');
      yes.type = 'button';
      yes.className = 'btn small copy-draft';
      yes.dataset.testid = 'copy-draft';
      yes.textContent = 'Copy the draft';
      const no = doc.createElement('button');
      no.type = 'button';
      no.className = 'btn small ghost copy-cancel';
      no.dataset.testid = 'copy-cancel';
      no.textContent = 'Cancel';
      box.append(text, yes, no);
      panel.querySelector('.panel-head').after(box);
    }
    box.querySelector('.copy-cancel').focus();
  }

  function confirmCopy(el, yes) {
    const panel = el.closest('.panel');
    const button = panel.querySelector('button.copy');
    el.closest('.copy-confirm').remove();
    button.focus();
    if (yes) copyFile(button);
  }

  // Share: htmx swaps in the box with the link; copy it.
  async function copyShareLink() {
    const out = doc.getElementById('share-url');
    const ok = await writeClipboard(out.value);
    doc.getElementById('share-status').textContent = ok ? 'Link copied to the clipboard.' : 'Select the link and copy it.';
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
      await submitWith('load', json);
    } catch (_) {
      showAlert('This share link is damaged or incomplete, so the wizard cannot open it. Ask for a new link, or import the plan.json instead.');
    }
  }

  // submitWith posts the wizard form with an action. On the static site
  // the post must wait until the service worker (the wizard) controls the
  // page: a first-time visitor's page is the file server's, which answers
  // a POST with 501 (boot.js holds only submits that fire an event, and
  // form.submit() fires none).
  async function submitWith(op, planJSON) {
    await window.__wizardControlled;
    const form = doc.getElementById('wizard');
    if (planJSON !== undefined) form.elements.plan.value = planJSON;
    const field = doc.createElement('input');
    field.type = 'hidden';
    field.name = 'op';
    field.value = op;
    form.append(field);
    form.submit();
  }

  doc.addEventListener('click', (e) => {
    const el = e.target.closest('[role=tab], button.copy, button.copy-draft, button.copy-cancel');
    if (!el) return;
    e.preventDefault();
    if (el.matches('[role=tab]')) selectTab(el, false);
    else if (el.matches('button.copy-draft')) confirmCopy(el, true);
    else if (el.matches('button.copy-cancel')) confirmCopy(el, false);
    else if (doc.getElementById('preview')?.dataset.draft === 'true') askCopy(el);
    else copyFile(el);
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

  // Controls that belong to another form (the API key of Check) sit
  // inside the wizard form: their typing must not post the wizard.
  doc.addEventListener('input', (e) => {
    const form = e.target.form;
    if (form && form.id !== 'wizard' && e.target.closest('#wizard')) e.stopPropagation();
  }, true);

  // Errors as the user types: once a field was left (or, for a choice,
  // changed, or Enter pressed in it), its key joins the form's errorShown
  // fields, so every preview renders its problems again, out of band,
  // as they are now. Fields not reached yet stay quiet until Next.
  function fieldKey(el) {
    const wrap = el.closest('[data-testid^="field-"]');
    return wrap ? wrap.dataset.testid.slice('field-'.length) : null;
  }

  function touch(el) {
    const form = el.form;
    const key = form?.id === 'wizard' ? fieldKey(el) : null;
    if (!key) return false;
    let box = doc.getElementById('touched');
    if (!box) {
      box = doc.createElement('div');
      box.id = 'touched';
      box.hidden = true;
      form.append(box);
    }
    if (Array.from(box.children).some((i) => i.value === key)) return false;
    const field = doc.createElement('input');
    field.type = 'hidden';
    field.name = 'errorShown';
    field.value = key;
    box.append(field);
    return true;
  }

  // refresh asks for a preview (and with it the errors shown) now.
  function refresh() {
    doc.getElementById('wizard')?.dispatchEvent(new Event('input', { bubbles: true }));
  }

  const textual = (el) => el.matches?.('#wizard textarea, #wizard input:not([type=hidden],[type=file],[type=checkbox],[type=radio])');

  doc.addEventListener('focusout', (e) => {
    // Leaving a field for a button that posts the form: the page answers.
    if (!textual(e.target) || e.relatedTarget?.type === 'submit') return;
    if (touch(e.target)) refresh();
  });
  // A choice shows its problems with the preview its input event asks for
  // (this runs first: it listens on the document, capturing).
  doc.addEventListener('input', (e) => {
    if (e.target.matches?.('#wizard input[type=checkbox], #wizard input[type=radio]')) touch(e.target);
  }, true);

  // Enter in a text box does not press Next (the form's first button):
  // it shows that field's problems, and nothing about fields not reached.
  doc.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || e.defaultPrevented || e.isComposing) return;
    const el = e.target;
    if (el.tagName !== 'INPUT' || el.form?.id !== 'wizard' || ['submit', 'button', 'image', 'reset', 'file'].includes(el.type)) return;
    e.preventDefault();
    touch(el);
    refresh();
  });

  // A preview renders the shown problems of a field again (out of band);
  // its control, which htmx leaves alone while it is typed in, follows:
  // invalid while an error shows, described by its problems while any do.
  function syncInvalid() {
    for (const list of doc.querySelectorAll('#wizard ul.problems[id$="-problems"]')) {
      const el = doc.getElementById(list.id.slice(0, -'-problems'.length));
      if (!el || !el.matches('input, textarea')) continue;
      const bad = list.querySelector('.problem-error') !== null;
      if (bad) el.setAttribute('aria-invalid', 'true');
      else el.removeAttribute('aria-invalid');
      el.closest('[data-testid^="field-"]')?.classList.toggle('field-invalid', bad);
      const ids = (el.getAttribute('aria-describedby') || '').split(' ').filter((id) => id && id !== list.id);
      if (list.children.length > 0) ids.push(list.id);
      if (ids.length > 0) el.setAttribute('aria-describedby', ids.join(' '));
      else el.removeAttribute('aria-describedby');
    }
  }

  doc.addEventListener('htmx:afterSwap', () => { initPreview(); syncInvalid(); });
  doc.addEventListener('htmx:afterSettle', (e) => {
    const id = e.detail.requestConfig?.elt?.id;
    // A check's result takes the focus, so it is read out.
    if (id === 'check-form') doc.getElementById('check-result')?.focus();
    // A started run brings its steps and progress into view: the form
    // above would otherwise leave them below the fold.
    if (id === 'register-form' && doc.getElementById('register-live')?.hidden === false) {
      doc.getElementById('register-run')?.scrollIntoView({ block: 'start' });
    }
    if (e.detail.target?.id === 'share-box') copyShareLink();
  });

  doc.addEventListener('htmx:beforeSwap', (e) => {
    const { elt, target, xhr } = e.detail;
    // A refused start comes back as the Register (or Rollout) page saying why.
    // htmx names the swapped element in elt; the form is requestConfig's.
    const form = e.detail.requestConfig?.elt?.id ?? elt?.id;
    if ((form === 'register-form' || form === 'rollout-form') && xhr.status >= 400) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
    // htmx visits every element it removes (cleanup events); the code
    // lines of the old preview hold no htmx state, so drop them first: the
    // swap then costs a fraction of the time.
    if (e.detail.shouldSwap && target?.id === 'preview') {
      for (const code of target.querySelectorAll('pre.code > code')) code.textContent = '';
    }
  });
  // The same for a file's pane the preview swaps out of band (the page
  // holds the same files: only the changed panes come).
  doc.addEventListener('htmx:oobBeforeSwap', (e) => {
    const target = e.detail.target;
    if (target?.classList.contains('panel')) {
      for (const code of target.querySelectorAll('pre.code > code')) code.textContent = '';
    }
  });

  // No usable answer: say so where the user looks.
  const trouble = (e) => {
    const xhr = e.detail.xhr;
    const status = xhr?.status;
    const rid = status ? xhr.getResponseHeader('X-Request-Id') : null;
    const why = status ? `error ${status}${rid ? `, request id ${rid}` : ''}` : '';
    switch (e.detail.elt?.id) {
      case 'check-form': {
        const note = doc.createElement('div');
        note.className = 'alert';
        note.setAttribute('role', 'alert');
        note.textContent = why
          ? `The check could not run (${why}). Reload the wizard from the link it printed at start and try again.`
          : 'The wizard\'s server does not answer, so the check did not run.';
        doc.getElementById('check-result')?.replaceChildren(note);
        return;
      }
      case 'register-form':
        showAlert('The wizard\'s server does not answer, so the registration did not start.');
        return;
      case 'share':
        showAlert(`The share link could not be made (${why || 'the wizard does not answer'}).`);
        return;
    }
    announce('The preview could not be updated.');
    const p = doc.getElementById('preview');
    if (p && !p.querySelector('.preview-error')) {
      const note = doc.createElement('p');
      note.className = 'draft-note preview-error';
      note.setAttribute('role', 'alert');
      note.textContent = why
        ? `The preview could not be updated (${why}). Use Next to check the form.`
        : 'The wizard\'s server does not answer, so the preview is not up to date.';
      p.querySelector('.preview-head')?.after(note);
    }
  };
  doc.addEventListener('htmx:responseError', trouble);
  doc.addEventListener('htmx:sendError', trouble);

  // The server refused the run's stream (it restarted, or the run is
  // forgotten): stop reconnecting and say what to do. A dropped connection
  // is not this: the browser resumes it by itself (Last-Event-ID).
  doc.addEventListener('htmx:sseError', (e) => {
    if (e.detail.source.readyState !== EventSource.CLOSED) return;
    e.target.removeAttribute('sse-connect');
    const start = doc.getElementById('register-start');
    if (start) start.disabled = false;
    showAlert('The wizard stopped sending the steps. The run may still be going on: wait a minute, then run again (finished steps are skipped).');
  });

  function ready() {
    initPreview();
    if (location.hash.startsWith('#plan=')) openShared();
    // The wizard is ready once this frame is painted: fields usable, the
    // preview rendered, htmx listening.
    requestAnimationFrame(() => setTimeout(() => performance.mark('wizard-ready'), 0));
  }
  // A share link pasted into a tab already on the wizard changes only the
  // fragment: no page loads, so open it here.
  window.addEventListener('hashchange', () => {
    if (location.hash.startsWith('#plan=')) openShared();
  });
  if (doc.readyState === 'complete') ready();
  else doc.addEventListener('DOMContentLoaded', ready);
})();
