/* The outbox: checklists filled on this phone wait in IndexedDB, under their UUID, until the
   server has stored them. A record is put again under the same UUID when it is edited before
   sending, so the server never receives two versions; a record leaves the outbox only when the
   server answered 200 or 201 for it. The queue goes up to 50 records per request
   (POST /api/submissions/batch). Sending retries with backoff and when the phone comes back
   online. window.eomOutbox = {add, all, count, flush}. */
(function () {
  "use strict";
  var DB = "eom-outbox", STORE = "outbox", SENT = "sent";
  var retryDelay = 1000, timer = null, flushing = null;

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "uuid" });
        request.result.createObjectStore(SENT, { keyPath: "uuid" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(store, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode);
        var result = work(tx.objectStore(store));
        tx.oncomplete = function () { db.close(); resolve(result && result.result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function all() { return run(STORE, "readonly", function (s) { return s.getAll(); }); }

  // Put the record unless the same one is on its way to the server right now; resolves to
  // whether it was saved. (Its id makes the server keep the first version it receives.)
  function add(record) {
    record.state = "waiting";
    record.error = null;
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, "readwrite");
        var store = tx.objectStore(STORE);
        var saved = false;
        var current = store.get(record.uuid);
        current.onsuccess = function () {
          if (current.result && current.result.state === "sending") return;
          store.put(record);
          saved = true;
        };
        tx.oncomplete = function () { db.close(); resolve(saved); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    }).then(function (saved) { update(); flush(); return saved; });
  }

  function setState(uuid, from, to) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, "readwrite");
        var store = tx.objectStore(STORE);
        var found = null;
        var current = store.get(uuid);
        current.onsuccess = function () {
          if (current.result && (from === null || current.result.state === from)) {
            found = current.result;
            found.state = to;
            store.put(found);
          }
        };
        tx.oncomplete = function () { db.close(); resolve(found); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // Up to BATCH waiting records go in one request (POST /api/submissions/batch), each answered
  // on its own; a record that changed meanwhile (edited, or already on its way) stays behind.
  var BATCH = 50;

  function sendBatch(records) {
    return Promise.all(records.map(function (r) { return setState(r.uuid, "waiting", "sending"); }))
      .then(function (marked) {
        var sending = marked.filter(function (r) { return r !== null; });
        if (!sending.length) return null;
        return post(sending).catch(function (error) {
          return Promise.all(sending.map(function (r) {
            return setState(r.uuid, "sending", "waiting");
          })).then(function () { throw error; });
        });
      });
  }

  function post(records) {
    return fetch("/api/submissions/batch", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(),
        "X-Eom-Client": "offline-app" },
      body: JSON.stringify({ submissions: records.map(function (record) {
        return { uuid: record.uuid, form_id: record.form_id, location: record.location,
          observed_at: record.observed_at, answers: record.answers };
      }) })
    }).then(function (response) {
      if (response.status >= 500) throw new Error("server " + response.status);
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.status === 200 && body.results) {
          return Promise.all(body.results.map(function (result) {
            return settle(records[result.index], result.status,
              { detail: "", errors: result.errors || {} });
          }));
        }
        // The whole request refused (signed out, no access, a body the server cannot read):
        // each record keeps the answer.
        return Promise.all(records.map(function (record) {
          return settle(record, response.status, body);
        }));
      });
    });
  }

  // A record leaves the outbox only when the server answered 200 or 201 for it.
  function settle(record, status, body) {
    if (status === 200 || status === 201) {
      return run(STORE, "readwrite", function (s) { return s.delete(record.uuid); })
        .then(function () {
          record.state = "sent";
          return run(SENT, "readwrite", function (s) { return s.put(record); });
        }).then(function () { return "sent"; });
    }
    record.state = status === 401 || status === 403 ? "login" : "refused";
    record.error = body;
    return run(STORE, "readwrite", function (s) { return s.put(record); })
      .then(function () { return "refused"; });
  }

  function flush() {
    if (flushing) return flushing;
    flushing = all().then(function (records) {
      var waiting = records.filter(function (r) { return r.state === "waiting"; });
      var chain = Promise.resolve();
      for (var start = 0; start < waiting.length; start += BATCH) {
        chain = chain.then(sendBatch.bind(null, waiting.slice(start, start + BATCH)));
      }
      return chain;
    }).then(function () {
      retryDelay = 1000;
    }, function () {
      clearTimeout(timer);
      timer = setTimeout(flush, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 60000);
    }).then(function () { flushing = null; return update(); });
    return flushing;
  }

  function update() {
    return all().then(function (records) {
      var waiting = records.filter(function (r) {
        return r.state === "waiting" || r.state === "sending";
      }).length;
      var held = records.length - waiting;
      document.querySelectorAll("[data-outbox-count]").forEach(function (el) {
        el.hidden = records.length === 0;
        el.textContent = records.length === 0 ? "" :
          el.dataset.template.replace("%(n)s", waiting) +
          (held ? " · " + el.dataset.heldTemplate.replace("%(n)s", held) : "");
      });
      var list = document.querySelector("[data-outbox-list]");
      if (list) render(list, records);
      return records.length;
    });
  }

  function render(list, records) {
    list.textContent = "";
    list.hidden = records.length === 0;
    records.forEach(function (record) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = record.url + "?draft=" + encodeURIComponent(record.uuid);
      link.textContent = record.title + " · " + record.location;
      item.appendChild(link);
      var state = document.createElement("span");
      state.className = "badge " + record.state;
      state.textContent = list.dataset[record.state] || record.state;
      item.appendChild(document.createTextNode(" "));
      item.appendChild(state);
      list.appendChild(item);
    });
  }

  function prefetch() {
    var links = document.querySelectorAll("a[data-prefetch]");
    if (!links.length || !("serviceWorker" in navigator)) return;
    var urls = [location.href].concat(Array.prototype.map.call(links, function (a) { return a.href; }));
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.kept) document.body.dataset.offlineReady = event.data.kept;
    });
    navigator.serviceWorker.ready.then(function (registration) {
      registration.active.postMessage({ keep: urls });
    });
  }

  // A page that was closed while sending left nothing on its way: send those again.
  function recover() {
    return all().then(function (records) {
      return Promise.all(records.filter(function (r) { return r.state === "sending"; })
        .map(function (r) { return setState(r.uuid, "sending", "waiting"); }));
    });
  }

  window.eomOutbox = { add: add, all: all, count: update, flush: flush };
  window.addEventListener("online", function () { retryDelay = 1000; flush(); });
  if ("serviceWorker" in navigator && document.body.dataset.serviceWorker) {
    navigator.serviceWorker.register(document.body.dataset.serviceWorker, { scope: "/" });
  }
  prefetch();
  recover().then(update).then(function () { if (navigator.onLine) flush(); });
})();
