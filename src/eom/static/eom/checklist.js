/* A checklist on the phone: skip logic and every check the server makes on the answers, while
   the observer types (answers.js, with the server's reasons), then sending through the outbox
   (outbox.js) and saying what became of the report:
   - stored: "Received ✓" with the report's reference;
   - refused (the server said no: 403, 409, 422): the form stays, with the server's reasons next
     to the questions they concern and the others above the form; the report waits on the phone
     under its id until it is corrected and sent again;
   - the login expired (401): a link to log in again; the report waits on the phone;
   - no connection, or no answer from the server: "Saved on this phone".
   Opened as ?draft=<id> (from the list of reports on the phone) the form is filled with that
   report again, its id and the reasons it was refused. Irrelevant questions are hidden and
   disabled, and their answers are not sent, as the server ignores them. A repeat's instances
   are added and removed here, on the phone (offline too), from the blank instance the page
   holds; a report opened again gets its instances back. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-eom-checklist]");
  var script = document.getElementById("form-logic");
  if (!form || !script || !window.eomExpr || !window.eomAnswers) return;
  var logic = JSON.parse(script.textContent);
  var serverErrors = {};  // the server's reasons by question or field, until that one changes
  var last = null;  // the last check of the answers

  // The questions whose skip logic, constraint or required rule reads an answer: a reason the
  // server gave about them may no longer hold once that answer changes.
  // Inside a repeat the reasons are named by the instance (`visits[2]/n`); the expressions
  // read the questions by their own names.
  var readers = {};
  function reads(tree, found) {
    if (!tree || typeof tree !== "object") return found;
    if (tree.var) found.push(tree.var);
    (tree.args || []).forEach(function (arg) { reads(arg, found); });
    return found;
  }
  function has(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }
  function bare(label) { return label.replace(/^.*\//, ""); }
  (function note(items) {
    items.order.forEach(function (name) {
      var q = items.questions[name];
      reads(q.relevant, reads(q.constraint, reads(q.required, reads(logic.sections[q.section],
        [])))).forEach(function (read) { (readers[read] = readers[read] || []).push(name); });
      if (q.children) note(q.children);
    });
  })(logic);
  function changed(name) {
    name = name || "";
    var affected = readers[bare(name)] || [];
    Object.keys(serverErrors).forEach(function (key) {
      if (key === name || affected.indexOf(bare(key)) >= 0) delete serverErrors[key];
    });
    update(false);
  }

  function inputsOf(name) {
    return Array.prototype.filter.call(form.elements, function (el) { return el.name === name; });
  }

  // The answer as the form sends it (observation/rendering.py, answers_from_post): texts
  // trimmed, lists for a select_multiple, nothing for an empty field.
  function rawOf(name, type) {
    var inputs = inputsOf(name);
    if (!inputs.length || type === "note" || type === "image") return undefined;
    if (type === "select_multiple" || type === "select_one") {
      var chosen = inputs.filter(function (i) { return i.checked; })
        .map(function (i) { return i.value; });
      if (!chosen.length) return undefined;
      return type === "select_one" ? chosen[0] : chosen;
    }
    var text = inputs[0].value.trim();
    return text === "" ? undefined : text;
  }

  function rawAnswers() {  // the repeats' instances too, their skipped questions as well
    var raw = repeatAnswers(true);
    logic.order.forEach(function (name) {
      var value = rawOf(name, logic.questions[name].type);
      if (value !== undefined) raw[name] = value;
    });
    return raw;
  }

  function unreadable(name) {  // a number field holding what the browser cannot read
    return inputsOf(name).some(function (i) { return i.validity && i.validity.badInput; });
  }

  function boxOf(name) {
    return form.querySelector('[data-question="' + name + '"], [data-field="' + name + '"]');
  }

  function show(element, message) {
    if (!element) return;
    element.textContent = message;
    element.hidden = !message;
  }

  function update(showRequired) {
    var observed = form.elements.observed_at ? form.elements.observed_at.value : "";
    last = window.eomAnswers.check(logic, rawAnswers(), observed || undefined);
    var problems = 0;
    form.querySelectorAll("fieldset[data-section]").forEach(function (fieldset) {
      var asked = 0;
      fieldset.querySelectorAll("[data-question]").forEach(function (box) {
        var name = box.dataset.question;
        var on = last.relevant[name] !== false;
        asked += on;
        box.hidden = !on;
        inputsOf(name).forEach(function (input) { input.disabled = !on; });
        var message = "";
        if (on && unreadable(name)) message = logic.messages.not_a_number;
        else if (on && last.errors[name] && (showRequired || !last.missing[name])) {
          message = last.errors[name].join(" ");
        }
        show(box.querySelector(".error.live"), message);
        show(box.querySelector(".error.server"), on ? (serverErrors[name] || []).join(" ") : "");
        box.classList.toggle("invalid", Boolean(message || (on && serverErrors[name])));
        if (message) problems += 1;
      });
      fieldset.hidden = asked === 0;
    });
    // A label's ${name}, outside the repeats (whose instances show them as drawn).
    form.querySelectorAll("output[data-ref]").forEach(function (output) {
      var value = (last.env || {})[output.dataset.ref];
      if (value === undefined || output.closest("[data-instance]")) return;
      output.textContent = Array.isArray(value) ? value.join(" ") : String(value);
    });
    return problems;
  }

  // What is sent: the answers of the questions asked, and the repeats' instances.
  function collect() {
    var raw = rawAnswers(), answers = {}, repeats = repeatAnswers(false);
    Object.keys(raw).forEach(function (name) {
      if (last.relevant[name]) answers[name] = raw[name];
    });
    Object.keys(repeats).forEach(function (name) {
      if (last.relevant[name] !== false) answers[name] = repeats[name];
    });
    return answers;
  }

  // A repeat's instances as rendering.answers_from_post reads them: the marker `r[1]` makes
  // an instance, `r[1]/q` its answer q, `r[1]/s[2]/q` one of a repeat inside it. What is sent
  // leaves out the questions skipped (disabled); what is checked reads them all.
  function repeatAnswers(skipped) {
    var answers = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      var top = /^([\w.\-]+)\[\d+\]/.exec(el.name || "");
      if (!top || !has(logic.questions, top[1]) || !logic.questions[top[1]].children ||
          (el.disabled && !skipped) ||
          el.type === "file" ||
          ((el.type === "checkbox" || el.type === "radio") && !el.checked)) return;
      var steps = el.name.split("/"), place = answers, question = null;
      steps.forEach(function (step) {
        var m = /^([\w.\-]+)\[(\d+)\]$/.exec(step);
        if (!m) { question = step; return; }
        var list = place[m[1]] = place[m[1]] || [];
        place = list[Number(m[2]) - 1] = list[Number(m[2]) - 1] || {};
      });
      var value = el.value.trim();
      if (question === null || value === "") return;
      if (el.type === "checkbox" && el.closest(".q-select_multiple")) {
        (place[question] = place[question] || []).push(value);
      } else place[question] = value;
    });
    return answers;
  }

  var refusedBox = document.querySelector("[data-refused]");
  var loginBox = document.querySelector("[data-login-again]");

  // The server's reasons: next to their question (or field), the others above the form.
  function showRefusal(item) {
    serverErrors = {};
    var general = [];
    Object.keys(item.errors).forEach(function (name) {
      if (boxOf(name)) serverErrors[name] = item.errors[name];
      else general = general.concat(item.errors[name]);
    });
    if (!general.length && !Object.keys(serverErrors).length && item.detail) {
      general.push(item.detail);
    }
    var list = refusedBox.querySelector("[data-refused-reasons]");
    list.textContent = "";
    general.forEach(function (reason) {
      var item = document.createElement("li");
      item.textContent = reason;
      list.appendChild(item);
    });
    list.hidden = !general.length;
    refusedBox.hidden = false;
    loginBox.hidden = true;
    update(false);
  }

  function showLogin(record) {
    var link = loginBox.querySelector("a");
    link.href = loginBox.dataset.loginUrl + "?next=" +
      encodeURIComponent(location.pathname + "?draft=" + record.uuid);
    loginBox.hidden = false;
    refusedBox.hidden = true;
  }

  function showSaved(sent, record) {
    var box = document.querySelector("[data-saved]");
    var state = sent ? "sent" : navigator.onLine ? "retrying" : "waiting";
    ["[data-saved-title]", "[data-saved-text]"].forEach(function (selector) {
      var el = box.querySelector(selector);
      el.textContent = el.dataset[state] || el.dataset.waiting;
    });
    var reference = box.querySelector("[data-saved-reference]");
    reference.hidden = !sent;
    reference.querySelector("code").textContent = sent ? record.uuid : "";
    form.hidden = true;
    refusedBox.hidden = loginBox.hidden = true;
    box.hidden = false;
    box.dataset.state = sent ? "sent" : "waiting";
    window.scrollTo(0, 0);
  }

  function outcome(record) {
    return window.eomOutbox.items().then(function (items) {
      var kept = items.filter(function (item) { return item.uuid === record.uuid; })[0];
      if (!kept) showSaved(true, record);
      else if (kept.state === "refused") showRefusal(kept);
      else if (kept.state === "login") showLogin(kept);
      else showSaved(false, kept);
      var alert = [refusedBox, loginBox].filter(function (box) { return !box.hidden; })[0];
      if (alert) alert.scrollIntoView({ block: "start" });
    });
  }

  // A repeat's instances added and removed on the phone (offline too): a copy of the repeat's
  // blank instance (<template data-blank>, its fields `visits[0]/…`) renamed to the next
  // number; after a removal the later instances take the numbers before them. Without
  // JavaScript the buttons ask the server to draw the form again.
  var RENAMED = ["name", "id", "for", "aria-labelledby", "data-question", "data-instance",
    "data-instances", "data-blank"];
  function escape(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  function rename(root, from, to) {
    var pattern = new RegExp("(^|[-/ ])" + escape(from), "g");
    function visit(el) {
      RENAMED.concat(el.name === "eom_repeat" ? ["value"] : []).forEach(function (attribute) {
        var value = el.getAttribute(attribute);
        if (value !== null) el.setAttribute(attribute, value.replace(pattern, "$1" + to));
      });
      if (el.tagName === "TEMPLATE") rename(el.content, from, to);
    }
    if (root.nodeType === 1) visit(root);
    Array.prototype.forEach.call(root.querySelectorAll("*"), visit);
  }
  function instancesOf(path) {
    var box = form.querySelector('[data-instances="' + path + '"]');
    return box ? Array.prototype.filter.call(box.children, function (el) {
      return el.matches("fieldset[data-instance]"); }) : [];
  }
  function numbered(path) {  // the instances' titles and buttons, and room for one more
    var instances = instancesOf(path);
    instances.forEach(function (fieldset, i) {
      var legend = fieldset.querySelector(":scope > legend");
      legend.textContent = legend.dataset.label + " " + (i + 1);
      var remove = fieldset.querySelector(':scope > button[name="eom_repeat"]');
      remove.textContent = remove.dataset.text.replace("__N__", String(i + 1));
    });
    var add = form.querySelector('button[name="eom_repeat"][value="add ' + path + '"]');
    if (add) add.hidden = instances.length >= Number(add.dataset.max);
  }
  function addInstance(path) {
    var blank = form.querySelector('template[data-blank="' + path + '"]');
    var box = form.querySelector('[data-instances="' + path + '"]');
    if (!blank || !box) return false;
    var copy = blank.content.cloneNode(true);
    rename(copy, path + "[0]", path + "[" + (instancesOf(path).length + 1) + "]");
    box.appendChild(copy);
    numbered(path);
    return true;
  }
  function removeInstance(path) {
    var m = /^(.*)\[(\d+)\]$/.exec(path), fieldset = form.querySelector(
      '[data-instance="' + path + '"]');
    if (!m || !fieldset) return false;
    var later = instancesOf(m[1]).slice(Number(m[2]));
    fieldset.remove();
    later.forEach(function (el, i) {
      rename(el, m[1] + "[" + (Number(m[2]) + i + 1) + "]", m[1] + "[" + (Number(m[2]) + i) + "]");
    });
    numbered(m[1]);
    return true;
  }
  form.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest('button[name="eom_repeat"]');
    if (!button) return;
    var verb = button.value.split(" ")[0], path = button.value.slice(verb.length + 1);
    var done = verb === "add" ? addInstance(path) : verb === "remove" && removeInstance(path);
    if (!done) return;
    event.preventDefault();
    serverErrors = {};
    update(false);
    if (verb === "add") {
      var first = instancesOf(path).slice(-1)[0].querySelector("input:not([type=hidden]), textarea");
      if (first) first.focus();
    }
  });

  form.addEventListener("input", function (event) { changed(event.target.name); });
  form.addEventListener("change", function (event) { changed(event.target.name); });
  form.addEventListener("submit", function (event) {
    // a repeat's instance added or removed: the server draws the form again
    if (event.submitter && event.submitter.name === "eom_repeat") return;
    if (update(true) > 0) {
      event.preventDefault();
      var first = form.querySelector(".field.invalid");
      if (first) first.scrollIntoView({ block: "center" });
      return;
    }
    if (!form.hasAttribute("data-offline") || !window.eomOutbox) return;
    var withFiles = Array.prototype.some.call(form.querySelectorAll("input[type=file]"),
      function (input) { return input.files.length > 0; });
    if (withFiles && navigator.onLine) return;  // photos travel with the ordinary form
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    var record = {
      uuid: form.elements.uuid.value, form_id: form.dataset.formId,
      location: form.dataset.location, observed_at: form.elements.observed_at.value || null,
      answers: collect(), title: form.dataset.formTitle, station: form.dataset.stationName,
      url: location.pathname, saved_at: new Date().toISOString()
    };
    window.eomOutbox.add(record)
      .then(function () { return window.eomOutbox.flush(); })
      .then(function () { return outcome(record); })
      .then(function () { button.disabled = false; }, function () { button.disabled = false; });
  });

  function put(name, value) {
    inputsOf(name).forEach(function (input) {
      if (input.type === "radio") input.checked = input.value === value;
      else if (input.type === "checkbox") input.checked = value.indexOf(input.value) >= 0;
      else if (input.type !== "file") input.value = value;
    });
  }

  // Answers kept on the phone put back in the form: a repeat's instances made again, each
  // with its answers (and the repeats inside it).
  function putAll(answers, prefix) {
    Object.keys(answers).forEach(function (name) {
      var value = answers[name], path = prefix + name;
      if (!Array.isArray(value) || !value.length || typeof value[0] !== "object") {
        put(path, value);
        return;
      }
      while (instancesOf(path).length < value.length && addInstance(path)) { /* one more */ }
      value.forEach(function (instance, i) {
        if (instance && typeof instance === "object") putAll(instance, path + "[" + (i + 1) + "]/");
      });
    });
  }

  function fill(record) {  // an item of the outbox (eomOutbox.items())
    form.elements.uuid.value = record.uuid;
    if (record.observed_at) form.elements.observed_at.value = record.observed_at;
    putAll(record.answers, "");
    if (record.state === "refused") showRefusal(record);
    else update(false);
  }

  function newUuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }

  // A page kept on the phone is opened many times: each filling gets its own id.
  if (form.hasAttribute("data-offline") && !form.querySelector(".error:not(.live):not(.server)")) {
    form.elements.uuid.value = newUuid();
  }
  update(false);
  // The outbox's script comes after this one, at the end of the page.
  function restore() {
    var draft = new URLSearchParams(location.search).get("draft");
    if (!draft || !window.eomOutbox) return;
    window.eomOutbox.items().then(function (items) {
      var record = items.filter(function (r) { return r.uuid === draft; })[0];
      if (record) fill(record);
      form.dataset.draft = record ? "restored" : "gone";
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", restore);
  else restore();
})();
