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

  form.addEventListener("input", function () { update(false); });
  form.addEventListener("change", function () { update(false); });
  form.addEventListener("submit", function (event) {
    if (update(true) > 0) {
      event.preventDefault();
      var first = form.querySelector(".field.invalid");
      if (first) first.scrollIntoView({ block: "center" });
    }
  });
  update(false);
})();
