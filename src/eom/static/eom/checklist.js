/* Live skip logic and validation of a checklist, with the same expression trees the server
   evaluates (see xlsexpr.js). Irrelevant questions are hidden and disabled, so the browser
   does not send them, just as the server ignores them. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-eom-checklist]");
  var script = document.getElementById("form-logic");
  if (!form || !script || !window.eomExpr) return;
  var logic = JSON.parse(script.textContent);
  var expr = window.eomExpr;

  function inputsOf(name) {
    return Array.prototype.filter.call(form.elements, function (el) { return el.name === name; });
  }

  function valueOf(name, type) {
    var inputs = inputsOf(name);
    if (type === "select_multiple") {
      return inputs.filter(function (i) { return i.checked; })
        .map(function (i) { return i.value; }).join(" ");
    }
    if (type === "select_one") {
      var chosen = inputs.filter(function (i) { return i.checked; })[0];
      return chosen ? chosen.value : "";
    }
    var text = inputs.length ? inputs[0].value.trim() : "";
    if (text === "") return "";
    if (type === "integer" && /^[+-]?\d+$/.test(text)) return parseInt(text, 10);
    if (type === "decimal" && !isNaN(Number(text))) return Number(text);
    return text;
  }

  function holds(tree, env, current) {
    if (!tree) return true;
    try { return expr.truthy(expr.evaluate(tree, env, current)); } catch (e) { return true; }
  }

  function update(showRequired) {
    var env = Object.assign({}, logic.env || {});
    var problems = 0;
    form.querySelectorAll("fieldset[data-section]").forEach(function (fieldset) {
      var sectionOn = holds(logic.sections[fieldset.dataset.section], env);
      fieldset.hidden = !sectionOn;
      fieldset.querySelectorAll("[data-question]").forEach(function (box) {
        var name = box.dataset.question;
        var q = logic.questions[name];
        var on = sectionOn && holds(q.relevant, env);
        box.hidden = !on;
        inputsOf(name).forEach(function (input) { input.disabled = !on; });
        var value = on ? valueOf(name, q.type) : "";
        var message = "";
        if (on && value !== "" && q.constraint && !holds(q.constraint, env, value)) {
          message = q.message || logic.messages.constraint;
        } else if (on && value === "" && q.required && showRequired) {
          message = logic.messages.required;
        }
        var live = box.querySelector(".error.live");
        if (live) { live.textContent = message; live.hidden = !message; }
        box.classList.toggle("invalid", Boolean(message));
        if (message) problems += 1;
        env[name] = on && !message ? value : "";
      });
    });
    return problems;
  }

  function collect() {
    var answers = {};
    Object.keys(logic.questions).forEach(function (name) {
      var q = logic.questions[name];
      if (q.type === "note" || q.type === "image") return;
      var inputs = inputsOf(name).filter(function (i) { return !i.disabled; });
      if (!inputs.length) return;
      var value;
      if (q.type === "select_multiple") {
        value = inputs.filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
        if (!value.length) return;
      } else if (q.type === "select_one") {
        var chosen = inputs.filter(function (i) { return i.checked; })[0];
        if (!chosen) return;
        value = chosen.value;
      } else {
        value = inputs[0].value.trim();
        if (value === "") return;
      }
      answers[name] = value;
    });
    return answers;
  }

  function fill(record) {
    form.elements.uuid.value = record.uuid;
    if (record.observed_at) form.elements.observed_at.value = record.observed_at;
    Object.keys(record.answers).forEach(function (name) {
      var value = record.answers[name];
      inputsOf(name).forEach(function (input) {
        if (input.type === "radio") input.checked = input.value === value;
        else if (input.type === "checkbox") input.checked = value.indexOf(input.value) >= 0;
        else input.value = value;
      });
    });
    update(false);
    var errors = (record.error && record.error.errors) || {};
    Object.keys(errors).forEach(function (name) {
      var live = form.querySelector('[data-question="' + name + '"] .error.live');
      if (live) { live.textContent = errors[name].join(" "); live.hidden = false; }
    });
  }

  function saved(sent) {
    var box = document.querySelector("[data-saved]");
    ["[data-saved-title]", "[data-saved-text]"].forEach(function (selector) {
      var el = box.querySelector(selector);
      el.textContent = sent ? el.dataset.sent : el.dataset.waiting;
    });
    form.hidden = true;
    box.hidden = false;
    box.dataset.state = sent ? "sent" : "waiting";
    window.scrollTo(0, 0);
  }

  form.addEventListener("input", function () { update(false); });
  form.addEventListener("change", function () { update(false); });
  form.addEventListener("submit", function (event) {
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
    var record = {
      uuid: form.elements.uuid.value, form_id: form.dataset.formId,
      location: form.dataset.location, observed_at: form.elements.observed_at.value || null,
      answers: collect(), title: document.title, url: location.pathname,
      saved_at: new Date().toISOString()
    };
    window.eomOutbox.add(record)
      .then(function () { return window.eomOutbox.flush(); })
      .then(function () { return window.eomOutbox.all(); })
      .then(function (records) {
        saved(!records.some(function (r) { return r.uuid === record.uuid; }));
      });
  });

  function newUuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }

  // A page kept on the phone is opened many times: each filling gets its own id.
  if (form.hasAttribute("data-offline") && !form.querySelector(".error:not(.live)")) {
    form.elements.uuid.value = newUuid();
  }
  var draft = new URLSearchParams(location.search).get("draft");
  if (draft && window.eomOutbox) {
    window.eomOutbox.all().then(function (records) {
      var record = records.filter(function (r) { return r.uuid === draft; })[0];
      if (record) fill(record);
    });
  }
  update(false);
})();
