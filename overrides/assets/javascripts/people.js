// The people index, filtered as you type: by name, organisation, role or committee.
//
// Everything is on the page already (generator/templates/people.md.j2), so this
// only hides the rows that do not match; without JavaScript the whole list shows
// and the box stays hidden. The words are kept in the address (?name=...), so a
// filtered list can be shared.
(function () {
  "use strict";

  function start() {
    var box = document.querySelector("[data-people-filter]");
    var table = document.querySelector(".people-index table");
    if (!box || !table) { return; }
    var input = box.querySelector("input");
    var status = box.querySelector("[role=status]");
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });

    function apply(keep) {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, place) {
        var match = words.every(function (word) { return texts[place].indexOf(word) !== -1; });
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      status.textContent = words.length === 0 ? "" :
        (shown === 0 ? "No one matches “" + input.value.trim() + "”." :
          shown + " of " + rows.length + " " + (rows.length === 1 ? "person" : "people") + " match “" + input.value.trim() + "”.");
      if (keep) {
        var params = new URLSearchParams(window.location.search);
        if (input.value.trim()) { params.set("name", input.value.trim()); } else { params.delete("name"); }
        var query = params.toString();
        window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
      }
    }

    box.hidden = false;
    input.value = new URLSearchParams(window.location.search).get("name") || "";
    input.addEventListener("input", function () { apply(true); });
    apply(false);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
