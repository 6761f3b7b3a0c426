// Boot script of the static Tentacle HA Wizard: registers the service
// worker that runs the wizard's Go application, and holds form posts and
// htmx requests made before it is in control, then sends them through it.
(function () {
  'use strict';
  if (!('serviceWorker' in navigator)) {
    document.documentElement.dataset.wizardHost = 'unsupported';
    return;
  }
  var started = performance.now();
  var controlled = navigator.serviceWorker.controller
    ? Promise.resolve()
    : new Promise(function (resolve) {
        navigator.serviceWorker.addEventListener('controllerchange', function () { resolve(); }, { once: true });
      });
  navigator.serviceWorker.register('./sw.js', { scope: './' }).catch(function (err) {
    console.error('service worker', err);
  });
  // app.js waits on this before it posts a share link or an import by
  // script (form.submit() fires no submit event for the guard below): on
  // a first visit the file server, not the wizard, would get the post.
  window.__wizardControlled = controlled;
  controlled.then(function () {
    document.documentElement.dataset.wizardReady = String(Math.round(performance.now() - started));
    window.__wizardReadyAt = performance.now();
  });
  document.addEventListener('submit', function (e) {
    if (navigator.serviceWorker.controller) return;
    e.preventDefault();
    var form = e.target, submitter = e.submitter;
    controlled.then(function () { form.requestSubmit(submitter || undefined); });
  }, true);
  document.addEventListener('htmx:confirm', function (e) {
    if (navigator.serviceWorker.controller) return;
    e.preventDefault();
    controlled.then(function () { e.detail.issueRequest(true); });
  });
})();
