/* A checklist's answers checked on the phone exactly as the server checks them: this is
   eom/observation/answers.py (clean_answers) in JavaScript; that module's docstring states the
   written form of each type of answer. Relevance (skip logic), required answers, types,
   choices, limits and constraints, in form order, with the server's reasons: the page passes
   them, translated, in its logic (observation/rendering.py, logic). A browser test runs
   generated answers to the shipped checklists through both and compares every reason.

   window.eomAnswers.check(logic, raw, now) -> {answers, errors, missing, relevant}
     raw: {name: text, or a list of texts for a select_multiple}, as the form sends them;
     now: what today() and now() read (ISO text; the phone's clock if left out);
     answers: the values the server stores (numbers, ISO times, lists in the form's order);
     errors: {name: [reason]}; missing: {name: true} for a required question without an answer
     (its reason is in errors too); relevant: {name: whether the question is asked}.
   A repeat's answer is a list of instances, each {name: answer}; each instance is checked as
   the server checks it (`${q}` the same instance's q, position(..) its number, the repeat's
   questions node-sets after it), and its questions are named by their instance in errors,
   missing and relevant: `visits[2]/n`, `visits[1]/rooms[3]/booths`.
   Needs xlsexpr.js (window.eomExpr). No eval, no dependencies. */
(function () {
  "use strict";
  var expr = window.eomExpr;
  // Python's str.strip() and str.split(): Unicode white space and U+001C..U+001F.
  var WHITE = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029" +
    "\\u202f\\u205f\\u3000";
  var EDGES = new RegExp("^[" + WHITE + "]+|[" + WHITE + "]+$", "g");
  var RUNS = new RegExp("[" + WHITE + "]+");
  var INTEGER = /^[+-]?[0-9]+$/;
  var NUMBER = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
  var CLOCK = "(?:[01][0-9]|2[0-3]):[0-5][0-9]";
  var DATE = "([0-9]{4})-([0-9]{2})-([0-9]{2})";
  var TIME = "(" + CLOCK + ")(?::([0-5][0-9])(?:\\.([0-9]{1,6}))?)?(Z|[+-]" + CLOCK + ")?";
  var MOMENTS = {
    date: new RegExp("^" + DATE + "$"),
    time: new RegExp("^()()()" + TIME + "$"),
    datetime: new RegExp("^" + DATE + "[T ]" + TIME + "$")
  };
  var SHOWN_CHARS = 40;
  var LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])[\udc00-\udfff]/;

  function strip(text) { return text.replace(EDGES, ""); }
  function words(text) { return strip(text).split(RUNS).filter(function (w) { return w; }); }
  function fill(template, values) {
    return template.replace(/%\((\w+)\)[sd]/g, function (_m, key) { return String(values[key]); });
  }
  function scalar(raw) {
    return typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean";
  }
  function text(raw) {
    if (typeof raw === "boolean") return raw ? "True" : "False";
    return String(raw);
  }

  function Refused(reason) { this.reason = reason; }

  function escaped(value) {  // Python's "unicode_escape"
    return Array.from(value).map(function (c) {
      var n = c.codePointAt(0);
      var named = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" }[c];
      if (named) return named;
      if (n >= 0x20 && n < 0x7f) return c;
      var width = n < 0x100 ? 2 : n < 0x10000 ? 4 : 8;
      return (width === 2 ? "\\x" : width === 4 ? "\\u" : "\\U") +
        ("0000000" + n.toString(16)).slice(-width);
    }).join("");
  }

  function textProblem(value, messages, maxChars) {
    if (value.indexOf("\u0000") >= 0) return messages.nul;
    if (LONE_SURROGATE.test(value)) return messages.surrogate;
    var n = Array.from(value).length;
    if (maxChars !== undefined && n > maxChars) return fill(messages.long, { n: n, max: maxChars });
    return null;
  }

  function shown(raw, messages) {  // the refused value as quoted back: its start, valid text
    var chars = Array.from(text(raw));
    var value = chars.length <= SHOWN_CHARS ? chars.join("") :
      chars.slice(0, SHOWN_CHARS).join("") + "\u2026";
    return textProblem(value, messages) === null ? value : escaped(value);
  }

  function days(year, month) {
    return [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31,
      30, 31, 31, 30, 31, 30, 31][month - 1];
  }

  function moment(kind, raw, messages) {
    var m = MOMENTS[kind].exec(strip(text(raw)));
    var year = m && Number(m[1]), month = m && Number(m[2]), day = m && Number(m[3]);
    if (!m || (kind !== "time" && (year < 1 || month < 1 || month > 12 || day < 1 ||
        day > days(year, month)))) {
      throw new Refused(fill(messages.moment, { value: shown(raw, messages), kind: kind }));
    }
    if (kind === "date") return m[0];
    var fraction = m[6] ? (m[6] + "00000").slice(0, 6) : "";
    var offset = m[7] === "Z" || m[7] === "-00:00" ? "+00:00" : (m[7] || "");
    var clock = m[4] + ":" + (m[5] || "00") + (/[1-9]/.test(fraction) ? "." + fraction : "") +
      offset;
    return kind === "time" ? clock : m[1] + "-" + m[2] + "-" + m[3] + "T" + clock;
  }

  function position(raw, messages) {
    var parts = words(text(raw));
    if (parts.length < 2 || !parts.every(function (p) { return NUMBER.test(p); })) {
      throw new Refused(messages.position);
    }
    var numbers = parts.map(Number);
    if (parts.length > 4 || !numbers.every(isFinite)) throw new Refused(messages.position_parts);
    if (Math.abs(numbers[0]) > 90 || Math.abs(numbers[1]) > 180) {
      throw new Refused(messages.position_globe);
    }
    return parts.join(" ");
  }

  // The choice names of a select_multiple or rank answer, each a choice, at most the limit.
  function chosen(question, raw, logic) {
    var messages = logic.messages, values;
    if (typeof raw === "string") values = words(raw);
    else if (Array.isArray(raw) && raw.every(scalar)) {
      values = raw.map(function (v) { return strip(text(v)); });
    } else throw new Refused(messages.choices_expected);
    if (values.length > logic.limits.selected) {
      throw new Refused(fill(messages.too_many, { n: values.length, max: logic.limits.selected }));
    }
    var unknown = values.filter(function (v) { return question.choices.indexOf(v) < 0; });
    if (unknown.length) {
      throw new Refused(fill(messages.not_choices, { values: unknown.slice(0, 10)
        .map(function (v) { return shown(v, messages); }).join(", ") }));
    }
    return values;
  }

  function choices(question, raw, logic) {  // in the form's order
    var values = chosen(question, raw, logic);
    return question.choices.filter(function (name) { return values.indexOf(name) >= 0; });
  }

  function ranked(question, raw, logic) {  // in the observer's order, each once
    var values = chosen(question, raw, logic);
    if (new Set(values).size !== values.length) throw new Refused(logic.messages.ranked_twice);
    return values;
  }

  function parameters(question) {
    var found = {};
    (question.parameters || "").replace(/,/g, " ").split(/\s+/).forEach(function (part) {
      var at = part.indexOf("=");
      if (part) found[(at < 0 ? part : part.slice(0, at)).trim().toLowerCase()] = at < 0 ? "" : part.slice(at + 1).trim();
    });
    return found;
  }

  function inRange(question, raw, messages) {
    var written = strip(text(raw)).replace(/,/g, ".");
    var number = NUMBER.test(written) ? Number(written) : NaN;
    if (!isFinite(number)) throw new Refused(fill(messages.number, { value: shown(raw, messages) }));
    var p = parameters(question), start = Number(p.start || 1), end = Number(p.end || 10);
    if (isNaN(start) || isNaN(end) || p.start === "" || p.end === "") { start = 1; end = 10; }
    if (number < Math.min(start, end) || number > Math.max(start, end)) {
      throw new Refused(fill(messages.outside, { value: shown(raw, messages),
        start: "start" in p ? p.start : "1", end: "end" in p ? p.end : "10" }));
    }
    return number;
  }

  function trace(raw, messages) {
    var points = text(raw).split(";").map(strip).filter(function (p) { return p; });
    if (points.length < 2 || points.length > 10000) throw new Refused(messages.trace);
    return points.map(function (p) { return position(p, messages); }).join(";");
  }

  function convert(question, raw, logic) {
    var messages = logic.messages, kind = question.value_type || question.type;
    if (kind === "select_multiple") return choices(question, raw, logic);
    if (kind === "rank") return ranked(question, raw, logic);
    if (!scalar(raw)) throw new Refused(messages.one_value);
    if (kind === "integer") {
      if (typeof raw === "boolean" || (typeof raw === "number" && !Number.isInteger(raw))) {
        throw new Refused(messages.whole_number_expected);
      }
      var digits = strip(text(raw)).replace(/[ \u00a0]/g, "");
      if (!INTEGER.test(digits) || digits.length > 20 ||
          BigInt(digits.replace(/^[+-]/, "")) > BigInt(logic.limits.whole_number)) {
        throw new Refused(fill(messages.whole_number, { value: shown(raw, messages) }));
      }
      return Number(digits) || 0;
    }
    if (kind === "decimal") {
      var written = strip(text(raw)).replace(/,/g, ".");
      var number = NUMBER.test(written) ? Number(written) : NaN;
      if (!isFinite(number)) throw new Refused(fill(messages.number, { value: shown(raw, messages) }));
      return number;
    }
    if (kind === "select_one") {
      var name = strip(text(raw));
      if (question.choices.indexOf(name) < 0) {
        throw new Refused(fill(messages.choice, { value: shown(raw, messages) }));
      }
      return name;
    }
    if (MOMENTS[kind]) return moment(kind, raw, messages);
    if (kind === "geopoint") return position(raw, messages);
    if (kind === "geotrace") return trace(raw, messages);
    if (kind === "acknowledge") {
      if (["ok", "yes", "true", "1"].indexOf(strip(text(raw)).toLowerCase()) < 0) {
        throw new Refused(fill(messages.not_ok, { value: shown(raw, messages) }));
      }
      return "OK";
    }
    if (kind === "range") return inRange(question, raw, messages);
    var problem = textProblem(text(raw), messages, logic.limits.text_chars);
    if (problem) throw new Refused(fill(messages.text, { problem: problem }));
    return text(raw);
  }

  function empty(raw) {
    return raw === undefined || raw === null || raw.length === 0 ||
      (typeof raw === "string" && strip(raw) === "");
  }

  function holds(tree, env, current, now) {
    if (!tree) return true;
    try { return expr.truthy(expr.evaluate(tree, env, current, now)); } catch (e) { return true; }
  }

  function envValue(question, value) {
    return question.type === "select_multiple" || question.type === "rank" ? value.join(" ") : value;
  }

  function kept(question, value, env, now) {  // by the question's choice_filter
    return (Array.isArray(value) ? value : [value]).every(function (name) {
      var scope = Object.assign({}, env), columns = question.columns[name] || {};
      Object.keys(columns).forEach(function (key) {  // a label with the answers it names put in
        scope["choice:" + key] = key !== "label" && key.indexOf("label:") !== 0 ? columns[key] : columns[key].replace(
          /\$\{([^}]*)\}/g, function (m, n) {
            return expr.string(Object.prototype.hasOwnProperty.call(env, n) ? env[n] : "");
          });
      });
      scope["choice:name"] = name;
      return expr.truthy(expr.evaluate(question.choice_filter, scope, undefined, now));
    });
  }

  function calculated(question, env, sent, now) {
    if (question.unstable && scalar(sent) && strip(text(sent))) return strip(text(sent));
    var value = expr.string(expr.evaluate(question.calculation, env, undefined, now));
    return value === "" ? null : value;
  }

  var NO_ANSWER = ["note", "xml-external", "csv-external"];

  // Every question's name, those inside repeats too (answers.py, walk).
  function allNames(items, found) {
    items.order.forEach(function (name) {
      found.push(name);
      var q = items.questions[name];
      if (q.children) allNames(q.children, found);
    });
    return found;
  }

  function repeatCount(q, env, now) {  // answers.py, _repeat_count
    if (!q.repeat_count) return null;
    var written;
    try { written = strip(expr.string(expr.evaluate(q.repeat_count, env, undefined, now))); }
    catch (e) { return null; }
    var number = NUMBER.test(written) ? Number(written) : NaN;  // Python's float(), then int()
    if (!isFinite(number)) return null;
    return Math.max(Math.trunc(number), 0);
  }

  function setOf(value) { return Array.isArray(value) ? value : [value]; }

  function check(logic, raw, now) {
    var result = { answers: {}, errors: {}, missing: {}, relevant: {} };
    var messages = logic.messages;
    var instancesLeft = logic.limits.repeat_total;
    function refuse(name, reason) { (result.errors[name] = result.errors[name] || []).push(reason); }
    function has(object, name) { return Object.prototype.hasOwnProperty.call(object, name); }

    // One question (answers.py, _Run.question): its stored value, or null; `label` names it.
    function question(q, name, value, env, path) {
      var label = path + name;
      var on = holds(q.relevant, env, undefined, now);
      result.relevant[label] = on;
      if (!on || NO_ANSWER.indexOf(q.value_type || q.type) >= 0) return null;
      if (q.type === "repeat") return repeat(q, name, value, env, label);
      if (q.type === "calculate") {
        var made = q.calculation ? calculated(q, env, value, now) : null;
        if (made !== null) env[name] = made;
        return made;
      }
      if (empty(value)) {
        if (q.required === true || (q.required && holds(q.required, env, undefined, now))) {
          result.missing[label] = true;
          refuse(label, q.required_message || messages.required);
        }
        return null;
      }
      try {
        value = convert(q, value, logic);
      } catch (refused) {
        if (!(refused instanceof Refused)) throw refused;
        refuse(label, refused.reason);
        return null;
      }
      if (q.choice_filter && !kept(q, value, env, now)) {
        refuse(label, fill(messages.not_offered, {
          value: shown(Array.isArray(value) ? value.join(" ") : value, messages) }));
        return null;
      }
      if (!holds(q.constraint, env, envValue(q, value), now)) {
        refuse(label, q.message || messages.constraint);
        return null;
      }
      env[name] = envValue(q, value);
      return value;
    }

    // A repeat's instances (answers.py, _Run.repeat): each checked as its own little form,
    // then each of its questions a node-set in `env` (every instance's value).
    function repeat(q, name, value, env, label) {
      var children = q.children;
      if (empty(value)) value = [];
      if (!Array.isArray(value) || !value.every(function (v) {
        return v !== null && typeof v === "object" && !Array.isArray(v);
      })) {
        refuse(label, messages.repeat_list);
        return null;
      }
      var problem = value.length > logic.limits.instances ?
        fill(messages.too_many, { n: value.length, max: logic.limits.instances }) : null;
      if (problem === null && value.length > instancesLeft) {
        problem = fill(messages.repeat_total, { limit: logic.limits.repeat_total });
      }
      if (problem) { refuse(label, problem); return null; }
      instancesLeft -= value.length;
      var wanted = repeatCount(q, env, now);
      if (wanted !== null && value.length > wanted) {
        refuse(label, fill(messages.repeat_count, { count: value.length, wanted: wanted }));
        return null;
      }
      var names = allNames(children, []), seen = {}, stored = [];
      names.forEach(function (n) { seen[n] = []; });
      value.forEach(function (answers, i) {
        var path = label + "[" + (i + 1) + "]/";
        var given = Object.keys(answers);
        if (given.length > logic.limits.answers) {
          refuse(path.slice(0, -1), fill(messages.too_many, { n: given.length, max: logic.limits.answers }));
          return;
        }
        given.forEach(function (n) {
          if (!has(children.questions, n)) {
            refuse(path + shown(n, messages), fill(messages.no_question, { name: shown(n, messages) }));
          }
        });
        var inner = Object.assign({}, env), instance = {};
        inner["position:"] = i + 1;
        names.forEach(function (n) { inner[n] = ""; });
        children.order.forEach(function (n) {
          var answer = question(children.questions[n], n, has(answers, n) ? answers[n] : undefined,
            inner, path);
          if (answer !== null) instance[n] = answer;
        });
        names.forEach(function (n) { seen[n] = seen[n].concat(setOf(has(inner, n) ? inner[n] : "")); });
        stored.push(instance);
      });
      names.forEach(function (n) { env[n] = env["all:" + n] = seen[n]; });
      env[name] = stored.map(function () { return ""; });
      return stored.length ? stored : null;
    }

    var given = Object.keys(raw);
    if (given.length > logic.limits.answers) {
      refuse("answers", fill(messages.too_many, { n: given.length, max: logic.limits.answers }));
      return result;
    }
    given.forEach(function (name) {
      if (!has(logic.questions, name)) {
        refuse(shown(name, messages), fill(messages.no_question, { name: shown(name, messages) }));
      }
    });
    var env = Object.assign({}, logic.env || {});
    allNames(logic, []).forEach(function (name) { env[name] = ""; });
    logic.order.forEach(function (name) {
      var q = logic.questions[name];
      if (!holds(logic.sections[q.section], env, undefined, now)) {
        result.relevant[name] = false;
        return;
      }
      var value = question(q, name, has(raw, name) ? raw[name] : undefined, env, "");
      if (value !== null) result.answers[name] = value;
    });
    result.env = env;  // what a label's ${name} shows
    return result;
  }

  window.eomAnswers = { check: check };
})();
