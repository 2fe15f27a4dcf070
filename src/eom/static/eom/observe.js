/* The observer's pages beside the outbox (outbox.js owns the outbox; this file only reads it).
   - Observe and My submissions: each checklist waiting, being sent or refused on this phone is
     shown on its place ([data-reports="CODE"]) or in the phone's list ([data-phone-reports]),
     with the time observed and the time saved; one sent from this phone after the page was
     loaded shows as received. Redrawn whenever the outbox changes (its counter in the page
     header changes) and when the connection returns.
   - A checklist: the time observed starts at now on the mission's clock (a page kept on the
     phone was saved at another time), and when that day is not one of the observer's
     deployment days ([data-deployed]) the page says so, under the time and above Send (the
     server would refuse the report; sending is left to the observer and the server).
   Strings come from the page's data attributes; nothing is written to the outbox here. */
(function () {
  "use strict";
  var DB = "eom-outbox", STORE = "outbox", SENT = "sent";

  // Opens the outbox database as it is; never creates it (outbox.js does, with its stores).
  function read(store) {
    return new Promise(function (resolve) {
      if (!window.indexedDB) { resolve([]); return; }
      var request = indexedDB.open(DB);
      request.onupgradeneeded = function () { request.transaction.abort(); };
      request.onerror = function () { resolve([]); };
      request.onsuccess = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains(store)) { db.close(); resolve([]); return; }
        var all = db.transaction(store, "readonly").objectStore(store).getAll();
        all.onsuccess = function () { db.close(); resolve(all.result || []); };
        all.onerror = function () { db.close(); resolve([]); };
      };
    });
  }

  var language = document.documentElement.lang || "en";

  function shown(text, options) {
    if (!text) return "";
    var match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(text);
    if (!match) return text;
    var at = options.local ? new Date(text) : new Date(Date.UTC(+match[1], match[2] - 1,
      +match[3], +match[4], +match[5]));
    // As the server writes times on these pages (DAY_MONTH_TIME_FORMAT): "19 Mar 10:42",
    // "19 марта 10:42" (the genitive), "19 наурыз 10:42".
    var parts = {};
    try {
      new Intl.DateTimeFormat(language, { day: "numeric",
        month: language === "en" ? "short" : "long", hour: "2-digit",
        minute: "2-digit", hourCycle: "h23", timeZone: options.local ? undefined : "UTC" })
        .formatToParts(at).forEach(function (p) { parts[p.type] = p.value; });
    } catch (e) { return text.replace("T", " ").slice(0, 16); }
    return parts.day + " " + parts.month + " " + parts.hour + ":" + parts.minute;
  }

  function titles() {
    var script = document.getElementById("observe-forms");
    try { return script ? JSON.parse(script.textContent) : {}; } catch (e) { return {}; }
  }

  function item(record, strings, names) {
    var li = document.createElement("li");
    li.dataset.phone = record.state;
    li.dataset.uuid = record.uuid;
    var badge = document.createElement("span");
    badge.className = "badge " + record.state;
    badge.textContent = strings[record.state] || record.state;
    li.appendChild(badge);
    var text = " " + (names[record.form_id] || record.form_id) + " · " + record.location;
    if (record.observed_at) {
      text += " · " + strings.observed.replace("%(time)s", shown(record.observed_at, {}));
    }
    if (record.saved_at && record.state !== "sent") {
      text += " · " + strings.saved.replace("%(time)s", shown(record.saved_at, { local: true }));
    }
    if ((record.state === "refused" || record.state === "login") && record.url) {
      var link = document.createElement("a");
      link.href = record.url + "?draft=" + encodeURIComponent(record.uuid);
      link.textContent = text;
      li.appendChild(link);
    } else {
      li.appendChild(document.createTextNode(text));
    }
    return li;
  }

  function draw(box) {
    var strings = box.dataset, names = titles();
    return Promise.all([read(STORE), read(SENT)]).then(function (found) {
      var listed = {};
      document.querySelectorAll("[data-uuid]:not([data-phone])").forEach(function (el) {
        listed[el.dataset.uuid] = true;
      });
      var records = found[0].concat(found[1].filter(function (r) { return !listed[r.uuid]; }))
        .sort(function (a, b) { return (a.observed_at || "") < (b.observed_at || "") ? -1 : 1; });
      box.querySelectorAll("li[data-phone]").forEach(function (li) { li.remove(); });
      var phone = box.querySelector("[data-phone-reports]");
      records.forEach(function (record) {
        var list = phone || box.querySelector('[data-reports="' + CSS.escape(record.location) + '"]');
        if (list) list.appendChild(item(record, strings, names));
      });
      var empty = box.querySelector("[data-phone-empty]");
      if (empty) empty.hidden = records.length > 0;
    });
  }

  var box = document.querySelector("[data-observe]");
  if (box) {
    var redraw = function () { draw(box); };
    redraw();
    var counter = document.querySelector("[data-outbox-count]");
    if (counter && window.MutationObserver) {
      new MutationObserver(redraw).observe(counter,
        { childList: true, characterData: true, subtree: true, attributes: true });
    }
    window.addEventListener("online", redraw);
  }

  // --- the checklist: the time observed and the deployment's days --------------------------

  var input = document.querySelector("input[data-observed-at]");
  if (!input) return;
  var form = input.form;

  function nowIn(zone) {
    var parts = {};
    try {
      new Intl.DateTimeFormat("en-GB", { timeZone: zone || undefined, year: "numeric",
        month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
        .formatToParts(new Date()).forEach(function (p) { parts[p.type] = p.value; });
    } catch (e) { return ""; }
    return parts.year + "-" + parts.month + "-" + parts.day + "T" + parts.hour + ":" + parts.minute;
  }

  var fresh = form && form.hasAttribute("data-offline") &&
    !form.querySelector(".error:not(.live)") &&
    !new URLSearchParams(location.search).get("draft");
  if (fresh) input.value = nowIn(input.dataset.zone) || input.value;

  var spans = (input.dataset.deployed || "").split(" ").filter(Boolean).map(function (span) {
    return span.split("/");
  });
  var warnings = document.querySelectorAll("[data-day-warning]");

  function offDay() {
    var day = input.value.slice(0, 10);
    if (!spans.length || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
    return !spans.some(function (span) { return span[0] <= day && day <= span[1]; });
  }

  function check() {
    var off = offDay();
    warnings.forEach(function (warning) { warning.hidden = !off; });
    input.classList.toggle("off-day", off);
    return off;
  }

  if (form) {
    form.addEventListener("input", check);
    form.addEventListener("change", check);
    form.addEventListener("submit", check, true);
  }
  check();
})();
