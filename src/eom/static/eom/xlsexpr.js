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
    if (Array.isArray(v)) return v.length ? value(v[0]) : ""; // a node-set: its first value
    return String(v);
  }

  // A node-set: every value of a repeat's question (an array in env), or the one value of any other.
  function setOf(v) { return Array.isArray(v) ? v.map(value) : [value(v)]; }

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
    var a = ordered(l), b = ordered(r);
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
    // ODK's other functions: the steps of expressions.py, one by one
    "regex": function (a, b) { var p = pattern(str(b)); return p !== null && p.test(str(a)); },
    "selected-at": function (a, n) {
      var parts = tokens(a), i = toInt(n);
      return Number.isInteger(i) && i >= 0 && i < parts.length ? parts[i] : "";
    },
    "format-date": formatDate, "format-date-time": formatDate,
    "decimal-date-time": days, "decimal-time": decimalTime,
    "date": function (a) { return toDate(a, false); },
    "date-time": function (a) { return toDate(a, true); },
    "pow": power,
    "log": function (a) { return logOf(a, Math.log); },
    "log10": function (a) { return logOf(a, Math.log10); },
    "exp": function (a) { return Math.exp(num(a)); },
    "exp10": function (a) { return Math.pow(10, num(a)); },
    "sqrt": real(Math.sqrt), "sin": real(Math.sin), "cos": real(Math.cos),
    "tan": real(Math.tan), "asin": real(Math.asin), "acos": real(Math.acos),
    "atan": real(Math.atan),
    "atan2": function (a, b) { return zero(Math.atan2(num(a), num(b))); },
    "pi": function () { return Math.PI; },
    "floor": function (a) { return zero(Math.floor(num(a))); },
    "ceiling": function (a) { return zero(Math.ceil(num(a))); },
    "once": function (a) { return a; },
    "uuid": function (n) {
      var bytes = crypto.getRandomValues(new Uint8Array(500)), hex = "";
      bytes.forEach(function (b) { hex += (b < 16 ? "0" : "") + b.toString(16); });
      if (n !== undefined) return hex.slice(0, Math.max(0, Math.min(toInt(n) || 0, 1000)));
      return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-4" + hex.slice(13, 16) + "-" +
        "89ab"[bytes[8] % 4] + hex.slice(17, 20) + "-" + hex.slice(20, 32);
    },
    "random": function () { return Math.random(); },
    "substr": function (a, start, end) {
      var points = Array.from(str(a)), first = index(start, points.length);
      var last = end === undefined ? points.length : index(end, points.length);
      return last > first ? points.slice(first, last).join("") : "";
    },
    "substring-before": function (a, b) {
      var t = str(a), i = t.indexOf(str(b)); return i >= 0 ? t.slice(0, i) : "";
    },
    "substring-after": function (a, b) {
      var t = str(a), p = str(b), i = t.indexOf(p); return i >= 0 ? t.slice(i + p.length) : "";
    },
    "translate": function (a, b, c) {
      var from = Array.from(str(b)), into = Array.from(str(c)), table = new Map();
      from.forEach(function (ch, i) { if (!table.has(ch)) table.set(ch, i < into.length ? into[i] : null); });
      return Array.from(str(a)).map(function (ch) {
        return table.has(ch) ? (table.get(ch) === null ? "" : table.get(ch)) : ch;
      }).join("");
    },
    "normalize-space": function (a) { return tokens(a).join(" "); },
    "ends-with": function (a, b) { return str(a).endsWith(str(b)); },
    "boolean": function (a) { return truthy(a); },
    "boolean-from-string": function (a) { var t = str(a).replace(SPACE, ""); return t === "true" || t === "1"; },
    "checklist": function (low, high) {
      var n = Array.prototype.slice.call(arguments, 2).filter(truthy).length;
      return within(n, low, high);
    },
    "weighted-checklist": function (low, high) {
      var total = 0;
      for (var i = 2; i + 1 < arguments.length; i += 2) {
        if (truthy(arguments[i])) total = arithmetic("+", total, num(arguments[i + 1]));
      }
      return within(total, low, high);
    },
  };

  // Functions of node-sets (expressions.py _SET_FUNCTIONS): a ${q} argument is every value it names.
  function extremeOf(largest) {
    return function () {
      var values = [].concat.apply([], Array.prototype.slice.call(arguments)).map(num);
      if (!values.length || values.some(isNaN)) return NaN;
      return zero(largest ? Math.max.apply(null, values) : Math.min.apply(null, values));
    };
  }
  var SET_FUNCTIONS = {
    "count": function (a) { return a.length; },
    "sum": function (a) {
      return a.reduce(function (total, v) { return arithmetic("+", total, num(v)); }, 0);
    },
    "max": extremeOf(true),
    "min": extremeOf(false),
    "join": function (sep) {
      var values = [].concat.apply([], Array.prototype.slice.call(arguments, 1));
      return values.map(str).join(str(sep)).slice(0, 10000);
    },
    "count-non-empty": function (a) { return a.filter(function (v) { return str(v) !== ""; }).length; },
    "indexed-repeat": function (values, repeat, i, inner, j) {  // inner: instances per outer one
      var n = toInt(i), counts = inner ? inner.map(toInt) : [values.length], m = inner ? toInt(j) : n;
      if (!inner) n = 1;
      if (!(Number.isInteger(n) && Number.isInteger(m) && n >= 1 && n <= counts.length &&
            counts.slice(0, n).every(function (c) { return isFinite(c) && c >= 0; }))) return "";
      var before = counts.slice(0, n - 1).reduce(function (a, b) { return a + b; }, 0);
      return m >= 1 && m <= counts[n - 1] && before + m <= values.length ? values[before + m - 1] : "";
    },
  };
  function scalarArgument(name, i) {
    return (name === "join" && i === 0) || (name === "indexed-repeat" && (i === 2 || i === 4));
  }

  // pulldata('fruits', 'colour', 'name', key): the first row of fruits.csv (env data:fruits)
  function pulldata(env, file, column, where, key) {
    var rows = has(env, "data:" + str(file)) ? env["data:" + str(file)] : [], c = str(column);
    var row = (Array.isArray(rows) ? rows : []).find(function (r) {
      return r && typeof r === "object" && !Array.isArray(r) && has(r, str(where)) &&
        str(value(r[str(where)])) === str(key);
    });
    return row && has(row, c) ? str(value(row[c])) : "";
  }

  var patterns = new Map();
  function pattern(text) {
    if (text.length > 500) return null;
    if (!patterns.has(text)) {
      var made = null;
      try { made = new RegExp(text, "u"); } catch (e) { made = null; }
      if (patterns.size > 256) patterns.clear();
      patterns.set(text, made);
    }
    return patterns.get(text);
  }

  function index(v, length) {
    var n = toInt(v);
    if (isNaN(n)) return 0;
    return Math.max(0, Math.min(length, n));
  }

  function within(total, low, high) {
    var a = num(low), b = num(high);
    return (a === -1 || total >= a) && (b === -1 || total <= b);
  }

  function real(f) { return function (a) { return zero(f(num(a))); }; }

  function logOf(a, f) { var x = num(a); return x < 0 ? NaN : zero(f(x)); }

  function power(a, b) {
    var x = num(a), y = num(b);
    if (isNaN(x) || isNaN(y)) return NaN;
    return zero(Math.pow(x, y));
  }

  var MOMENT = /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?$/;
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

  // A date, datetime or number of days since 1970 as a UTC time in ms; null when none.
  function points(a) {
    if (typeof a === "boolean") return null;
    if (typeof a === "number") {
      if (!(a >= -719162 && a < 2932897)) return null;
      return Math.round(a * 86400000);
    }
    var m = MOMENT.exec(a.replace(SPACE, ""));
    if (!m) return null;
    var y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
    var h = Number(m[4] || 0), mi = Number(m[5] || 0), s = Number(m[6] || 0);
    if (mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(2000, mo, 0)).getUTCDate() ||
        (mo === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) ||
        h > 23 || mi > 59 || s > 59 || y < 1) return null;
    var date = new Date(Date.UTC(2000, mo - 1, d, h, mi, s));
    date.setUTCFullYear(y);
    var ms = date.getTime() + Number((m[7] || "0").slice(0, 3).padEnd(3, "0"));
    if (m[8] && m[8] !== "Z") {
      var digits = m[8].slice(1).replace(":", "");
      var shift = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60000;
      ms -= (m[8][0] === "-" ? -1 : 1) * shift;
    }
    return ms;
  }

  function moment(a) { return points(typeof a === "number" ? a : str(a)); }

  // A side of <, <=, >, >=: a text starting as a date is its days (as decimal-date-time).
  function ordered(x) {
    return typeof x === "string" && /^[0-9]{4}-[0-9]{2}-[0-9]{2}/.test(x) ? days(x) : num(x);
  }

  function days(a) { var ms = points(a); return ms === null ? NaN : zero(ms / 86400000); }

  function decimalTime(a) {
    var m = /^([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]+)?)?$/.exec(str(a).replace(SPACE, ""));
    if (!m) return NaN;
    var h = Number(m[1]), mi = Number(m[2]), s = Number(m[3] || 0);
    if (h > 23 || mi > 59 || s > 59) return NaN;
    return (h * 3600 + mi * 60 + s) / 86400;
  }

  function four(n) { return String(n).padStart(4, "0"); }

  function toDate(a, withTime) {
    var ms = moment(a);
    if (ms === null) return "";
    var d = new Date(ms);
    var day = four(d.getUTCFullYear()) + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate());
    if (!withTime) return day;
    return day + "T" + pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + ":" +
      pad(d.getUTCSeconds()) + "." + String(d.getUTCMilliseconds()).padStart(3, "0");
  }

  function formatDate(a, format) {
    var ms = moment(a);
    if (ms === null) return "";
    var d = new Date(ms), year = d.getUTCFullYear();
    var fields = {
      Y: four(year), y: pad(year % 100), m: pad(d.getUTCMonth() + 1), n: String(d.getUTCMonth() + 1),
      b: MONTHS[d.getUTCMonth()], d: pad(d.getUTCDate()), e: String(d.getUTCDate()),
      a: DAYS[d.getUTCDay()], H: pad(d.getUTCHours()), h: String(d.getUTCHours()),
      M: pad(d.getUTCMinutes()), S: pad(d.getUTCSeconds()),
      "3": String(d.getUTCMilliseconds()).padStart(3, "0"),
    };
    var text = str(format), out = "";
    for (var i = 0; i < text.length; i++) {
      if (text[i] === "%" && i + 1 < text.length) {
        var key = text[++i];
        out += Object.prototype.hasOwnProperty.call(fields, key) ? fields[key] : key;
      } else out += text[i];
    }
    return out;
  }

  function choiceName(env, v, path) {
    var text = str(path).replace(SPACE, "");
    if (text.startsWith("${") && text.endsWith("}")) text = text.slice(2, -1);
    var parts = text.replace(/\/+$/, "").split("/"), key = "label:" + parts[parts.length - 1] + ":" + str(v);
    return Object.prototype.hasOwnProperty.call(env, key) ? str(value(env[key])) : str(v);
  }

  function has(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }

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
        case "jr:choice-name": return choiceName(env, run(args[0]), run(args[1]));
        case "pulldata": return pulldata(env, run(args[0]), run(args[1]), run(args[2]), run(args[3]));
        case "position": return has(env, "position:") ? value(env["position:"]) : 1;
      }
      if (has(SET_FUNCTIONS, n.call)) {
        return SET_FUNCTIONS[n.call].apply(null, args.map(function (arg, i) {
          if (scalarArgument(n.call, i)) return run(arg);
          if (!("var" in arg)) return [run(arg)];
          var name = n.call === "indexed-repeat" && i === 0 && has(env, "all:" + arg.var)
            ? "all:" + arg.var : n.call === "indexed-repeat" && i === 3 ? "instances:" + arg.var
              : arg.var;
          return setOf(has(env, name) ? env[name] : "");
        }));
      }
      if (!Object.prototype.hasOwnProperty.call(FUNCTIONS, n.call)) {
        throw new Error("unsupported function " + n.call);
      }
      return FUNCTIONS[n.call].apply(null, args.map(run));
    }
    return run(node);
  }

  window.eomExpr = { evaluate: evaluate, truthy: truthy, string: function (v) { return str(value(v)); } };
})();
