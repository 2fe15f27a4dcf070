/* Evaluates the JSON tree of an XLSForm expression (eom/xlsform/expressions.py, to_json)
 * with the same semantics as the Python evaluator; see that module's docstring.
 * window.eomExpr.evaluate(tree, env, current, now) -> number | string | boolean
 *   env: {name: value}; current: the value of "."; now: ISO datetime string or Date.
 * window.eomExpr.truthy(value) -> boolean (XPath boolean()).
 * Integers stay exact while they are safe integers (< 2**53); no eval, no dependencies. */
(function () {
  "use strict";
  var SPACE = /^[ \t\r\n]+|[ \t\r\n]+$/g;
  var NUMBER = /^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/;

  function zero(x) { return x === 0 ? 0 : x; } // negative zero reads as zero

  function value(v) {
    if (v === undefined || v === null) return "";
    if (typeof v === "number") return zero(v);
    if (typeof v === "string" || typeof v === "boolean") return v;
    return String(v);
  }

  function num(v) {
    if (typeof v === "boolean") return v ? 1 : 0;
    if (typeof v === "number") return v;
    var text = v.replace(SPACE, "");
    return NUMBER.test(text) ? zero(Number(text)) : NaN;
  }

  // Shortest round-trip digits without exponent: 1e21 -> "1000000000000000000000".
  function positional(text) {
    var m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
    if (!m) return text;
    var digits = m[2] + (m[3] || "");
    var exp = Number(m[4]) - (m[3] ? m[3].length : 0);
    if (exp >= 0) return m[1] + digits + "0".repeat(exp);
    var point = digits.length + exp;
    if (point > 0) return m[1] + digits.slice(0, point) + "." + digits.slice(point);
    return m[1] + "0." + "0".repeat(-point) + digits;
  }

  function str(v) {
    if (typeof v === "string") return v;
    if (typeof v === "boolean") return v ? "true" : "false";
    if (isNaN(v)) return "NaN";
    if (!isFinite(v)) return v > 0 ? "Infinity" : "-Infinity";
    return positional(String(v));
  }

  function truthy(v) {
    v = value(v);
    if (typeof v === "boolean") return v;
    if (typeof v === "string") return v !== "";
    return v !== 0 && !isNaN(v);
  }

  function tokens(v) {
    return str(v).split(/[ \t\r\n]+/).filter(function (t) { return t !== ""; });
  }

  function compare(op, l, r) {
    if (op === "=" || op === "!=") {
      var equal;
      if (typeof l === "boolean" || typeof r === "boolean") equal = truthy(l) === truthy(r);
      else if (typeof l === "number" || typeof r === "number") equal = num(l) === num(r);
      else equal = l === r;
      return op === "=" ? equal : !equal;
    }
    var a = num(l), b = num(r);
    if (op === "<") return a < b;
    if (op === "<=") return a <= b;
    if (op === ">") return a > b;
    return a >= b;
  }

  function arithmetic(op, a, b) {
    if (isNaN(a) || isNaN(b)) return NaN;
    if (op === "+") return zero(a + b);
    if (op === "-") return zero(a - b);
    if (op === "*") return zero(a * b);
    if (op === "div") return zero(a / b);
    return zero(a % b); // mod: sign of the dividend, x mod 0 is NaN
  }

  function toInt(v) {
    var n = num(v);
    return isFinite(n) ? zero(Math.trunc(n)) : n;
  }

  function round(v, places) {
    var a = num(v), n = num(places);
    if (isNaN(a) || isNaN(n)) return NaN;
    if (!isFinite(a)) return a;
    n = Math.trunc(Math.max(-400, Math.min(400, n)));
    if (n >= 0 && Math.floor(a) === a) return a;
    var sign = a < 0 ? -1 : 1, scale, whole;
    if (n >= 0) {
      scale = Number("1e" + n);
      var scaled = Math.abs(a) * scale;
      if (!isFinite(scaled)) return a;
      return zero(sign * (Math.floor(scaled + 0.5) / scale));
    }
    scale = Number("1e" + -n);
    whole = Math.floor(Math.abs(a) / scale + 0.5);
    return whole ? zero(sign * (whole * scale)) : 0;
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function clock(now) {
    if (typeof now === "string") return now;
    var d = now instanceof Date ? now : new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" +
      pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
  }

  var FUNCTIONS = {
    "selected": function (a, b) { return tokens(a).indexOf(str(b).replace(SPACE, "")) >= 0; },
    "count-selected": function (a) { return tokens(a).length; },
    "string-length": function (a) { return Array.from(str(a)).length; },
    "not": function (a) { return !truthy(a); },
    "number": num,
    "int": toInt,
    "round": round,
    "abs": function (a) { return Math.abs(num(a)); },
    "concat": function () { return Array.prototype.map.call(arguments, str).join(""); },
    "contains": function (a, b) { return str(a).indexOf(str(b)) >= 0; },
    "starts-with": function (a, b) { return str(a).startsWith(str(b)); },
    "string": str,
  };

  function evaluate(node, env, current, now) {
    env = env || {};
    current = value(current);
    function run(n) {
      if ("num" in n) return zero(n.num);
      if ("str" in n) return n.str;
      if ("var" in n) {
        return Object.prototype.hasOwnProperty.call(env, n.var) ? value(env[n.var]) : "";
      }
      if ("self" in n) return current;
      var args = n.args;
      if ("op" in n) {
        if (n.op === "neg") return zero(-num(run(args[0])));
        var left = run(args[0]);
        if (n.op === "or") return truthy(left) || truthy(run(args[1]));
        if (n.op === "and") return truthy(left) && truthy(run(args[1]));
        var right = run(args[1]);
        if (/^(=|!=|<|<=|>|>=)$/.test(n.op)) return compare(n.op, left, right);
        return arithmetic(n.op, num(left), num(right));
      }
      switch (n.call) {
        case "if": return run(truthy(run(args[0])) ? args[1] : args[2]);
        case "coalesce": { var first = run(args[0]); return first !== "" ? first : run(args[1]); }
        case "today": return clock(now).slice(0, 10);
        case "now": return clock(now);
        case "true": return true;
        case "false": return false;
      }
      if (!Object.prototype.hasOwnProperty.call(FUNCTIONS, n.call)) {
        throw new Error("unsupported function " + n.call);
      }
      return FUNCTIONS[n.call].apply(null, args.map(run));
    }
    return run(node);
  }

  window.eomExpr = { evaluate: evaluate, truthy: truthy };
})();
