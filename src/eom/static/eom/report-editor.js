// The section editor's figure picker: inserts [[figure:KEY]] at the cursor of the text area
// last written in (the English one before any).
(function () {
  "use strict";
  var areas = document.querySelectorAll("textarea[data-figure-target]");
  var button = document.getElementById("figure-insert");
  var choice = document.getElementById("figure-choice");
  if (!areas.length || !button || !choice) { return; }
  var last = areas[0];
  areas.forEach(function (area) {
    area.addEventListener("focus", function () { last = area; });
  });
  button.addEventListener("click", function () {
    var token = "[[figure:" + choice.value + "]]";
    var start = last.selectionStart, end = last.selectionEnd;
    last.value = last.value.slice(0, start) + token + last.value.slice(end);
    last.focus();
    last.selectionStart = last.selectionEnd = start + token.length;
  });
})();
