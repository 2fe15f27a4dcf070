/* eom's service worker: keeps the observer's pages usable with no connection.
   Pages under /observe/ (the Observe page with the observer's places and contacts, My
   submissions, the checklists) are served network-first and kept in a cache for when the
   network is gone; static files cache-first. The site's root, opened with no connection, shows
   the kept Observe page (the worker is registered for observers only, whose home it is).
   Submissions never pass through here: the page keeps them in an IndexedDB outbox (outbox.js)
   until the server has stored them. */
"use strict";
const CACHE = "eom-offline-v4";
const HOME = "/observe/";
const SHELL = ["/static/eom/eom.css", "/static/eom/xlsexpr.js", "/static/eom/answers.js",
  "/static/eom/checklist.js", "/static/eom/outbox.js", "/static/eom/observe.js",
  "/static/eom/favicon.svg",
  "/static/django_htmx/htmx-2.min.js"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

// The observer's pages ask the worker to keep their checklists for when the network is gone.
self.addEventListener("message", (event) => {
  const urls = (event.data && event.data.keep) || [];
  event.waitUntil(caches.open(CACHE).then((cache) => Promise.all(urls.map((url) =>
    fetch(url, { credentials: "same-origin" }).then((response) => {
      if (response.ok && !response.redirected) return cache.put(url, response);
      return null;
    }).catch(() => null)))).then(() => {
    if (event.source) event.source.postMessage({ kept: urls.length });
  }));
});

function isPage(url) {
  return url.origin === self.location.origin && url.pathname.startsWith(HOME);
}

// A page that was never kept: the kept Observe page (in the observer's language) stands in for
// it; only when even that is missing, a short notice in the mission's three languages.
function notKept() {
  return caches.match(HOME, { ignoreVary: true }).then((home) => home || new Response(
    "<!DOCTYPE html><meta charset=utf-8><meta name=viewport content='width=device-width'>" +
    "<h1>Offline · Нет связи · Байланыс жоқ</h1>" +
    "<p>This page was not saved on this phone.</p>" +
    "<p>Эта страница не сохранена на телефоне.</p>" +
    "<p>Бұл бет телефонда сақталмаған.</p>",
    { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } }));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request).then((response) => {
      if (response.ok) caches.open(CACHE).then((cache) => cache.put(request, response.clone()));
      return response;
    })));
    return;
  }
  if (isPage(url)) {
    event.respondWith(fetch(request).then((response) => {
      if (response.ok && !response.redirected) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(request, copy));
      }
      return response;
    }).catch(() => caches.match(request, { ignoreSearch: true, ignoreVary: true })
      .then((hit) => hit || notKept())));
    return;
  }
  if (request.mode === "navigate" && url.pathname === "/") {
    event.respondWith(fetch(request).catch(() => notKept()));
  }
});
