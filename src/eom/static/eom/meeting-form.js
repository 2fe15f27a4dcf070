/* The meeting form, on a phone and at a desk.
 *
 * Served without this script the form works as it is: a list of people to select as
 * participants, blank rows of interlocutors and follow-ups to fill in. This script:
 * - shows the chosen participants as names to remove, and finds more by typing part of a name
 *   (htmx asks the server for the matches; picking one selects it in the hidden list, so the
 *   form posts what it posts without the script);
 * - finds an interlocutor met before by typing part of a name or organisation, and copies the
 *   one picked into a blank row;
 * - keeps one blank row of each list, and adds or removes rows on demand.
 * Its only words come from the page (data attributes).
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-meeting-form]");
  if (!form) return;

  function isBlank(row) {
    var inputs = row.querySelectorAll("input");
    return Array.prototype.every.call(inputs, function (input) { return !input.value.trim(); });
  }

  function forget(search, matches) {
    search.value = "";
    matches.textContent = "";
  }

  // Enter in a search box picks the first match instead of sending the form.
  function pickOnEnter(search, matches) {
    search.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      var first = matches.querySelector("button");
      if (first) first.click();
    });
  }

  // --- rows of interlocutors and follow-ups ------------------------------------------------

  function rowsOf(box) {
    var list = box.querySelector("[data-row-list]");
    var template = box.querySelector("template[data-row-template]");
    var add = box.querySelector("[data-add-row]");

    function show(row) {
      row.querySelectorAll("[data-remove-row]").forEach(function (b) { b.hidden = false; });
      return row;
    }
    function append() {
      var row = template.content.firstElementChild.cloneNode(true);
      list.appendChild(show(row));
      return row;
    }
    function blankRow() {
      var rows = list.querySelectorAll("[data-row]");
      for (var i = 0; i < rows.length; i += 1) {
        if (isBlank(rows[i])) return rows[i];
      }
      return append();
    }

    var blanks = Array.prototype.filter.call(list.querySelectorAll("[data-row]"), isBlank);
    blanks.slice(1).forEach(function (row) { row.remove(); });
    list.querySelectorAll("[data-row]").forEach(show);
    list.addEventListener("click", function (event) {
      var remove = event.target.closest("[data-remove-row]");
      if (remove) remove.closest("[data-row]").remove();
    });
    add.hidden = false;
    add.addEventListener("click", function () {
      var row = blankRow();
      row.querySelector("input").focus();
    });
    return { blankRow: blankRow };
  }

  var boxes = Array.prototype.map.call(form.querySelectorAll("[data-rows]"), function (box) {
    return { box: box, rows: rowsOf(box) };
  });

  // --- interlocutors met before ------------------------------------------------------------

  boxes.forEach(function (entry) {
    var finder = entry.box.querySelector("[data-finder]");
    if (!finder) return;
    var search = finder.querySelector("input[type=search]");
    var matches = finder.querySelector("[data-matches]");
    finder.hidden = false;
    pickOnEnter(search, matches);
    matches.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-name]");
      if (!button) return;
      var row = entry.rows.blankRow();
      ["name", "title", "organisation", "kind"].forEach(function (column) {
        row.querySelector("[data-column=" + column + "]").value = button.dataset[column];
      });
      forget(search, matches);
      search.focus();
    });
  });

  // --- participants ------------------------------------------------------------------------

  var people = form.querySelector("[data-participants]");
  if (people) {
    var select = people.querySelector("select[multiple]");
    var ui = people.querySelector("[data-picker-ui]");
    var chosen = ui.querySelector("[data-chosen]");
    var search = ui.querySelector("input[type=search]");
    var matches = ui.querySelector("[data-matches]");
    var label = people.querySelector("label[for='" + select.id + "']");

    var draw = function () {
      chosen.textContent = "";
      Array.prototype.forEach.call(select.selectedOptions, function (option) {
        var item = document.createElement("li");
        var name = document.createElement("span");
        var remove = document.createElement("button");
        name.textContent = option.textContent;
        remove.type = "button";
        remove.textContent = "×";
        remove.setAttribute("aria-label",
          people.dataset.removeLabel.replace("%(name)s", option.textContent));
        remove.addEventListener("click", function () {
          option.selected = false;
          draw();
          search.focus();
        });
        item.appendChild(name);
        item.appendChild(remove);
        chosen.appendChild(item);
      });
    };

    select.hidden = true;
    ui.hidden = false;
    if (label) label.htmlFor = search.id;
    pickOnEnter(search, matches);
    matches.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-value]");
      if (!button) return;
      var option = Array.prototype.find.call(select.options, function (o) {
        return o.value === button.dataset.value;
      });
      if (!option) {
        option = new Option(button.dataset.label, button.dataset.value);
        select.add(option);
      }
      option.selected = true;
      draw();
      forget(search, matches);
      search.focus();
    });
    draw();
  }
})();
