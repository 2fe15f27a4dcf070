/* The outbox: checklists filled on this phone wait in IndexedDB, under their UUID, until the
   server has stored them. A record is put again under the same UUID when it is edited before
   sending, so the server never receives two versions; a record leaves the outbox only when the
   server answered 200 or 201 for it. The queue goes up to 50 records per request
   (POST /api/submissions/batch). Sending retries with backoff when there is no connection or
   the server does not answer (5xx, 429), and when the phone comes back online.

   A record is in one state:
     waiting  to be sent;           sending  on its way (it cannot be changed meanwhile);
     refused  the server said no (403, 409, 422 …): `error` holds its reasons, {detail, errors:
              {question or field: [reason]}}, in the language of the page that sent it; it
              waits for the observer to correct it and send it again (same UUID);
     login    the login had expired (401): sent again once the observer has logged in.
   The channel the server records is the truth: a report sent as soon as Send was pressed is
   sent as the checklist page's ("page"), one that waited in the outbox as the offline app's.

   window.eomOutbox (the public API, kept stable for the observer's pages):
     add(record) -> Promise<saved: bool>   put a report (uuid, form_id, location, observed_at,
                                           answers, title: the form's, station: its name, url)
     items() -> Promise<[item]>            the reports on this phone not yet stored, oldest
                                           first, each {uuid, state, form_id, title, station,
                                           location, url, saved_at, refused_at, status,
                                           reasons: [text], errors: {name: [text]}, detail,
                                           observed_at, answers}
     all() -> Promise<[record]>            the raw records (the same reports)
     count() -> Promise<n>                 redraw the counters and the list on the page
     flush() -> Promise                    send what waits now (resolves when answered) */
(function () {
  "use strict";
  var DB = "eom-outbox", STORE = "outbox", SENT = "sent";
  var retryDelay = 1000, timer = null, flushing = null, again = null, rerun = false;

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

  function items() {
    return all().then(function (records) {
      return records.sort(function (a, b) {
        var x = a.saved_at || "", y = b.saved_at || "";
        return x < y ? -1 : x > y ? 1 : 0;
      }).map(function (r) {
        var errors = (r.error && r.error.errors) || {};
        var reasons = Object.keys(errors).reduce(function (list, name) {
          return list.concat(errors[name]);
        }, []);
        if (!reasons.length && r.error && r.error.detail) reasons.push(r.error.detail);
        return { uuid: r.uuid, state: r.state, form_id: r.form_id, title: r.title,
          station: r.station || r.location, location: r.location, url: r.url,
          saved_at: r.saved_at, refused_at: r.refused_at || null, status: r.status || null,
          reasons: reasons, errors: errors, detail: (r.error && r.error.detail) || "",
          observed_at: r.observed_at, answers: r.answers };
      });
    });
  }

  // Put the record unless the same one is on its way to the server right now; resolves to
  // whether it was saved. (Its id makes the server keep the first version it receives.)
  function add(record) {
    record.state = "waiting";
    record.error = null;
    record.status = null;
    record.queued = !navigator.onLine;
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

  // Move a record from one state to another (from null: whatever its state); a record that
  // waited gets `queued` (it is sent as the offline app's).
  function setState(uuid, from, to, queued) {
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
            if (queued) found.queued = true;
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

  function sendBatch(records, queued) {
    return Promise.all(records.map(function (r) { return setState(r.uuid, "waiting", "sending"); }))
      .then(function (marked) {
        var sending = marked.filter(function (r) { return r !== null; });
        if (!sending.length) return null;
        return post(sending, queued).catch(function (error) {
          return Promise.all(sending.map(function (r) {
            return setState(r.uuid, "sending", "waiting", true);
          })).then(function () { throw error; });
        });
      });
  }

  // A whole request refused by the schema (422 with a list of problems, each located as
  // body › payload › submissions › index › field): those records are refused with their
  // problems, the others go back to wait for the next round.
  function located(records, body) {
    var named = {};
    body.detail.forEach(function (problem) {
      var loc = problem.loc || [], at = loc.indexOf("submissions");
      var index = at >= 0 ? loc[at + 1] : undefined;
      if (typeof index !== "number" || !records[index]) return;
      var field = String(loc[at + 2] || "submission");
      named[index] = named[index] || {};
      (named[index][field] = named[index][field] || []).push(problem.msg);
    });
    if (!Object.keys(named).length) return null;
    return Promise.all(records.map(function (record, index) {
      if (!named[index]) return setState(record.uuid, "sending", "waiting");
      return settle(record, 422, { detail: "", errors: named[index] });
    })).then(function () { rerun = true; });
  }

  function post(records, queued) {
    return fetch("/api/submissions/batch", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(),
        "X-Eom-Client": queued ? "offline-app" : "checklist-page" },
      body: JSON.stringify({ submissions: records.map(function (record) {
        return { uuid: record.uuid, form_id: record.form_id, location: record.location,
          observed_at: record.observed_at, answers: record.answers };
      }) })
    }).then(function (response) {
      var status = response.status;
      if (status >= 500 || status === 429 || status === 408) throw new Error("server " + status);
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (status === 200 && body.results) {
          return Promise.all(body.results.map(function (result) {
            return settle(records[result.index], result.status,
              { detail: "", errors: result.errors || {} });
          }));
        }
        var done = status === 422 && Array.isArray(body.detail) ? located(records, body) : null;
        // The whole request refused (signed out, no access, a body the server cannot read):
        // each record keeps the answer.
        return done || Promise.all(records.map(function (record) {
          return settle(record, status, {
            detail: typeof body.detail === "string" ? body.detail : "", errors: body.errors || {} });
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
          record.received_at = new Date().toISOString();
          return run(SENT, "readwrite", function (s) { return s.put(record); });
        }).then(function () { return "sent"; });
    }
    record.state = status === 401 ? "login" : "refused";
    record.status = status;
    record.error = body;
    record.refused_at = new Date().toISOString();
    return run(STORE, "readwrite", function (s) { return s.put(record); })
      .then(function () { return record.state; });
  }

  function flush() {
    if (flushing) {  // what is added meanwhile goes in a second round, right after this one
      if (!again) again = flushing.then(function () { again = null; return flush(); });
      return again;
    }
    flushing = all().then(function (records) {
      var waiting = records.filter(function (r) { return r.state === "waiting"; });
      var chain = Promise.resolve();
      [false, true].forEach(function (queued) {
        var group = waiting.filter(function (r) { return (r.queued !== false) === queued; });
        for (var start = 0; start < group.length; start += BATCH) {
          chain = chain.then(sendBatch.bind(null, group.slice(start, start + BATCH), queued));
        }
      });
      return chain;
    }).then(function () {
      retryDelay = 1000;
    }, function () {
      clearTimeout(timer);
      timer = setTimeout(flush, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 60000);
    }).then(function () {
      flushing = null;
      if (rerun) { rerun = false; return flush(); }
      return update();
    });
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
          (waiting ? el.dataset.template.replace("%(n)s", waiting) : "") +
          (waiting && held ? " · " : "") +
          (held ? el.dataset.heldTemplate.replace("%(n)s", held) : "");
      });
      var list = document.querySelector("[data-outbox-list]");
      if (list) items().then(function (found) { render(list, found); });
      return records.length;
    });
  }

  // The page's checklist titles in the reader's language ({form id: title}), if it gives them.
  function pageTitles() {
    var script = document.getElementById("observe-forms");
    try { return script ? JSON.parse(script.textContent) : {}; } catch (e) { return {}; }
  }

  // The list of reports on this phone: "form · station", its state, and why it was refused.
  // The form's title is the page's (the reader's language now), else the one saved with it.
  function render(list, found) {
    var titles = pageTitles();
    list.textContent = "";
    list.hidden = found.length === 0;
    found.forEach(function (item) {
      var entry = document.createElement("li");
      entry.dataset.uuid = item.uuid;
      entry.dataset.state = item.state;
      var link = document.createElement("a");
      link.href = item.url + "?draft=" + encodeURIComponent(item.uuid);
      link.textContent = (titles[item.form_id] || item.title) + " · " + item.station;
      entry.appendChild(link);
      var state = document.createElement("span");
      state.className = "badge " + item.state;
      state.textContent = list.dataset[item.state] || item.state;
      entry.appendChild(document.createTextNode(" "));
      entry.appendChild(state);
      if (item.state === "refused") {
        item.reasons.forEach(function (reason) {
          var why = document.createElement("small");
          why.className = "reasons";
          why.textContent = reason;
          entry.appendChild(why);
        });
      }
      list.appendChild(entry);
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

  // A page that was closed while sending left nothing on its way, and a report that met an
  // expired login goes again (the observer may have logged in since): send those again.
  function recover() {
    return all().then(function (records) {
      return Promise.all(records.filter(function (r) {
        return r.state === "sending" || r.state === "login";
      }).map(function (r) { return setState(r.uuid, r.state, "waiting", true); }));
    });
  }

  window.eomOutbox = { add: add, items: items, all: all, count: update, flush: flush };
  window.addEventListener("online", function () { retryDelay = 1000; flush(); });
  if ("serviceWorker" in navigator && document.body.dataset.serviceWorker) {
    navigator.serviceWorker.register(document.body.dataset.serviceWorker, { scope: "/" });
  }
  prefetch();
  recover().then(update).then(function () { if (navigator.onLine) flush(); });
})();
