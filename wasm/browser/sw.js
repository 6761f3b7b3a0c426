// Service worker of the static Tentacle HA Wizard. It runs the wizard's Go
// web application (app.wasm, the same echo handlers as the self-hosted
// server) and answers every same-origin request with it, so the wizard works
// with no server behind it and offline after the first load. It never
// forwards a request anywhere else: the page's origin is the only one.
/* global Go, importScripts, __wizardServe */
importScripts('./wasm_exec.js');

const VERSION = '__VERSION__';
const CACHE = 'tentacle-ha-wizard-' + VERSION;
// Files the static host serves (cached at install); everything else is the Go app.
const FILES = __FILES__;

let ready = null;

// startGo compiles app.wasm while it streams in (from the cache, or from
// the network during install) and runs the Go app until it is ready.
function startGo(response) {
  if (ready) return ready;
  ready = (async () => {
    let resp = response;
    if (!resp) resp = await (await caches.open(CACHE)).match('./app.wasm');
    if (!resp) resp = await fetch('./app.wasm');
    const go = new Go();
    const booted = new Promise((resolve) => { self.__wizardReady = resolve; });
    const { instance } = await WebAssembly.instantiateStreaming(resp, go.importObject);
    go.run(instance).then(() => { ready = null; });
    await booted;
  })();
  ready.catch(() => { ready = null; });
  return ready;
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const wasm = await fetch('./app.wasm');
    if (!wasm.ok) throw new Error('app.wasm: HTTP ' + wasm.status);
    await Promise.all([
      cache.put('./app.wasm', wasm.clone()),
      cache.addAll(FILES.filter((f) => f !== './app.wasm')),
      startGo(wasm),
    ]);
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('tentacle-ha-wizard-') && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

async function viaGo(request) {
  await startGo();
  const headers = [];
  request.headers.forEach((v, k) => headers.push([k, v]));
  const body = (request.method === 'GET' || request.method === 'HEAD')
    ? null : new Uint8Array(await request.arrayBuffer());
  // The whole URL, so the app sees the page's origin as its host (a share
  // link starts with it).
  const res = await __wizardServe({ method: request.method, url: request.url, headers, body });
  const h = new Headers();
  for (const [k, v] of res.headers) {
    if (k.toLowerCase() !== 'content-length') h.append(k, v);
  }
  const nullBody = res.status === 204 || res.status === 304 || (res.status >= 300 && res.status < 400 && !res.body.length);
  return new Response(nullBody ? null : res.body, { status: res.status, headers: h });
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin) {
    // Nothing of ours lives elsewhere; refuse rather than reach out.
    event.respondWith(new Response('blocked: the wizard makes no requests outside its origin', { status: 403 }));
    return;
  }
  // The pre-rendered index.html and the assets come from the cache; so the
  // first step shows at once even while the Go app is still starting.
  const path = url.pathname.replace(/^\//, './');
  if (event.request.method === 'GET' && FILES.includes(path)) {
    event.respondWith(caches.open(CACHE).then((c) => c.match(path)).then((r) => r || fetch(event.request)));
    return;
  }
  event.respondWith(viaGo(event.request).catch((err) =>
    new Response('The wizard could not start in this browser: ' + err, { status: 500, headers: { 'content-type': 'text/plain' } })));
});
