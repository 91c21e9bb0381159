// Filters for the decisions and actions registers.
//
// Progressive enhancement: without this script the registers list everything,
// grouped by year or by status with links to each group. With it, the filter
// form is shown, rows that do not match are hidden, and the choice is kept in
// the address (?year=2021&topic=vrap) so a filtered view can be shared.
(function () {
  "use strict";

  function registerRows() {
    return Array.prototype.map.call(
      document.querySelectorAll("span.register-row"),
      function (marker) { return { marker: marker, row: marker.closest("tr") }; }
    ).filter(function (found) { return found.row !== null; });
  }

  function matches(marker, choices) {
    return Object.keys(choices).every(function (name) {
      var wanted = choices[name];
      if (!wanted) { return true; }
      var value = marker.getAttribute("data-" + name) || "";
      // A row may carry several values (topics), separated by spaces.
      return name === "topic" ? value.split(" ").indexOf(wanted) !== -1 : value === wanted;
    });
  }

  function apply(form, rows, noun) {
    var choices = {};
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (select) {
      choices[select.name] = select.value;
    });
    var shown = 0;
    rows.forEach(function (found) {
      var keep = matches(found.marker, choices);
      found.row.hidden = !keep;
      if (keep) { shown += 1; }
    });
    // Hide a group's heading and table when none of its rows is left.
    Array.prototype.forEach.call(document.querySelectorAll("article table"), function (table) {
      var visible = table.querySelectorAll("tbody tr:not([hidden])").length > 0;
      var wrapper = table.closest(".md-typeset__scrollwrap") || table;
      wrapper.hidden = !visible;
      var heading = wrapper.previousElementSibling;
      if (heading && heading.tagName === "H2") { heading.hidden = !visible; }
    });
    form.querySelector("output").textContent =
      "Showing " + shown + " of " + rows.length + " " + noun + ".";
    var params = new URLSearchParams(window.location.search);
    Object.keys(choices).forEach(function (name) {
      if (choices[name]) { params.set(name, choices[name]); } else { params.delete(name); }
    });
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
  }

  function setUp(form) {
    var rows = registerRows();
    var noun = form.getAttribute("data-register");
    var params = new URLSearchParams(window.location.search);
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (select) {
      var wanted = params.get(select.name);
      if (wanted !== null && select.querySelector('option[value="' + CSS.escape(wanted) + '"]')) {
        select.value = wanted;
      }
      select.addEventListener("change", function () { apply(form, rows, noun); });
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply(form, rows, noun);
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form.register-filters"), setUp);
  });
})();
