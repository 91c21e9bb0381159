// Filters for the registers (decisions, actions, the items on a topic), across every year.
//
// Progressive enhancement: without this script a register reads as pages, one
// year at a time, newest first, with links between the years and pages. With it,
// the filter form is shown; a choice is answered from the register's prebuilt
// index (generator/registers.py), whatever year is on screen, fifty rows at a
// time, and kept in the address (?committee=board&topic=vrap&page=2) so that a
// filtered view can be shared. The index is fetched a small file at a time: the
// list of values, then the rows of each chosen value, then only the rows shown.
(function () {
  "use strict";

  // The site's root, from where this script is served (assets/javascripts/).
  var root = new URL("../../", document.currentScript.src);
  var PAGE_SIZE = 50;
  var FACETS = ["status", "year", "committee", "topic", "owner"];

  function fetchJson(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) { throw new Error(response.status + " " + url); }
      return response.json();
    });
  }

  // A facet value's rows, written as differences from the row before.
  function undelta(deltas) {
    var numbers = [];
    var at = 0;
    deltas.forEach(function (delta) { at += delta; numbers.push(at); });
    return numbers;
  }

  function intersect(lists) {
    if (lists.length === 0) { return null; }
    lists.sort(function (a, b) { return a.length - b.length; });
    var kept = lists[0];
    lists.slice(1).forEach(function (other) {
      var wanted = new Set(other);
      kept = kept.filter(function (n) { return wanted.has(n); });
    });
    return kept;
  }

  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) { made.className = className; }
    if (text !== undefined) { made.textContent = text; }
    return made;
  }

  function link(text, address) {
    var made = element("a", "", text);
    made.href = new URL(address, root).href;
    return made;
  }

  function capital(text) { return text.charAt(0).toUpperCase() + text.slice(1); }

  // One row, as the static pages show it (templates/_registers.md.j2).
  function renderRow(kind, row) {
    var item = element("li");
    var where = element("p", "register-row__where");
    var title = element("strong");
    if (kind === "actions") {
      title.appendChild(link(row.label, row.url));
      where.appendChild(title);
      if (/^minute /.test(row.item)) { where.appendChild(document.createTextNode(": " + row.item.replace(/^minute [^:]*: /, ""))); }
    } else if (kind === "items") {
      title.appendChild(link(row.date + ", " + row.item, row.url));
      where.appendChild(title);
    } else {
      title.appendChild(link(capital(row.item), row.url));
      where.appendChild(title);
    }
    where.appendChild(element("br"));
    where.appendChild(document.createTextNode(kind === "items" ? row.committee : row.committee + ", " + row.date));
    if (row.routine) {
      where.appendChild(document.createTextNode(" · "));
      where.appendChild(element("span", "register-tag", "routine"));
    }
    item.appendChild(where);
    if (kind === "decisions") {
      item.appendChild(element("p", "", row.text));
      if (row.topics.length) {
        var topics = element("p", "", "Topics: ");
        row.topics.forEach(function (topic, place) {
          if (place) { topics.appendChild(document.createTextNode(", ")); }
          topics.appendChild(link(topic[0], topic[1]));
        });
        item.appendChild(topics);
      }
    } else if (kind === "actions") {
      item.appendChild(element("p", "", row.what));
      var facts = element("p");
      facts.appendChild(element("span", "register-tag register-tag--" + row.status_id, row.status));
      facts.appendChild(document.createTextNode(" · Owner: " + row.owner + " · Due: " + (row.due || "not set")));
      row.updates.forEach(function (update, place) {
        facts.appendChild(document.createTextNode(place ? "; " : " · Updates: "));
        facts.appendChild(link(update[0], update[3]));
        facts.appendChild(document.createTextNode(" " + update[2]));
      });
      item.appendChild(facts);
    } else {
      if (row.opening) { item.appendChild(element("p", "", row.opening)); }
      row.resolutions.forEach(function (resolution) {
        var said = element("p");
        said.appendChild(element("span", "register-tag", "Resolved"));
        said.appendChild(document.createTextNode(" " + resolution));
        item.appendChild(said);
      });
    }
    return item;
  }

  function setUp(form) {
    // The index's home names the folder of the current build's index (registers.py: current.json).
    var home = new URL(form.getAttribute("data-index"), root);
    var index = null;
    var kind = form.getAttribute("data-register");
    var noun = [form.getAttribute("data-noun"), kind];
    var pageYear = form.getAttribute("data-year");
    var results = document.querySelector("[data-register-results]");
    var list = results.querySelector("ol");
    var previous = results.querySelector("[data-page=previous]");
    var next = results.querySelector("[data-page=next]");
    var pageStatus = results.querySelector("[data-page-status]");
    var statics = document.querySelector("[data-register-static]");
    var status = form.querySelector(".register-filters__status");
    var clear = form.querySelector(".register-filters__clear");
    var routine = form.elements.routine || null;
    var selects = FACETS.filter(function (name) { return form.elements[name]; })
      .map(function (name) { return form.elements[name]; });
    var meta = null;
    var lateLists = [];
    var facetRows = {};
    var chunks = {};
    var page = 1;
    var latest = 0;

    // A fetch that failed is forgotten, so that the next choice tries again.
    function remembered(cache, key, load) {
      if (!cache[key]) {
        cache[key] = load().catch(function (error) { delete cache[key]; throw error; });
      }
      return cache[key];
    }

    // A facet's values ([value, count, label if not the value]); a long list is fetched when first wanted.
    function values(facet) {
      if (meta.facets[facet]) { return Promise.resolve(meta.facets[facet]); }
      if ((meta.apart || []).indexOf(facet) === -1) { return Promise.resolve([]); }
      return remembered(facetRows, facet, function () { return fetchJson(new URL(facet + ".json", index)); });
    }

    function facetFile(facet, value) {
      return values(facet).then(function (listed) {
        for (var n = 0; n < listed.length; n += 1) {
          if (listed[n][0] === value) {
            var key = facet + "-" + n;
            return remembered(facetRows, key, function () {
              return fetchJson(new URL(key + ".json", index)).then(undelta);
            });
          }
        }
        return [];
      });
    }

    function chunk(number) {
      return remembered(chunks, number, function () { return fetchJson(new URL("rows-" + number + ".json", index)); });
    }

    // Fill a select whose options come from the index, keeping its choice.
    function offer(select) {
      if (select.options.length > 1) { return Promise.resolve(); }
      return values(select.name).then(function (listed) {
        if (select.options.length > 1) { return; }
        listed.forEach(function (value) {
          var option = element("option", "", value[2] || value[0]);
          option.value = value[0];
          select.appendChild(option);
        });
      });
    }

    function yearAll() { return form.elements.year && form.elements.year.value === ""; }

    function chosen() {
      var found = [];
      selects.forEach(function (select) {
        if (select.value) { found.push([select.name, select.value, select.options[select.selectedIndex].text]); }
      });
      return found;
    }

    function filtered() {
      var year = form.elements.year ? form.elements.year.value : "";
      return year !== pageYear || chosen().some(function (c) { return c[0] !== "year"; }) ||
        Boolean(routine && routine.checked);
    }

    function describe(choices) {
      var words = choices.map(function (c) { return c[0] + " " + c[2]; });
      if (!form.elements.year || yearAll()) { words.push("every year"); }
      if (routine && routine.checked) { words.push("routine resolutions hidden"); }
      return words.join(", ");
    }

    // The choice in the address, always in the form's order, so one view has one address.
    function keepInAddress() {
      var params = new URLSearchParams();
      selects.forEach(function (select) {
        if (select.name === "year") {
          var year = select.value || "all";
          if (year !== (pageYear || "all")) { params.set("year", year); } else { params.delete("year"); }
        } else if (select.value) { params.set(select.name, select.value); } else { params.delete(select.name); }
      });
      if (routine && routine.checked) { params.set("routine", "hide"); } else { params.delete("routine"); }
      if (page > 1 && filtered()) { params.set("page", String(page)); } else { params.delete("page"); }
      var query = params.toString();
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    }

    clear.addEventListener("click", function () {
      selects.forEach(function (select) { select.value = select.name === "year" ? pageYear : ""; });
      if (routine) { routine.checked = false; }
      page = 1;
      run();
      (selects[0] || routine).focus();
    });

    function showStatic() {
      results.hidden = true;
      if (statics) { statics.hidden = false; }
      status.textContent = "Choose a filter to search every year.";
      clear.hidden = true;
      keepInAddress();
    }

    function run(focusFirst) {
      var ticket = ++latest;
      if (!filtered()) { showStatic(); return Promise.resolve(); }
      var choices = chosen();
      status.textContent = "Searching…";
      var wanted = choices.map(function (c) { return facetFile(c[0], c[1]); });
      return Promise.all(wanted).then(function (lists) {
        var rows = intersect(lists.slice());
        if (rows === null) {
          rows = [];
          for (var n = 0; n < meta.rows; n += 1) { rows.push(n); }
        }
        var hide = routine && routine.checked ? facetFile("routine", "yes") : Promise.resolve([]);
        return hide.then(function (routineRows) {
          var before = rows.length;
          if (routineRows.length) {
            var skip = new Set(routineRows);
            rows = rows.filter(function (n) { return !skip.has(n); });
          }
          return { rows: rows, lists: lists, beforeRoutine: before };
        });
      }).then(function (found) {
        if (ticket !== latest) { return; }
        var total = found.rows.length;
        var pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
        page = Math.min(Math.max(page, 1), pages);
        keepInAddress();
        var shown = found.rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
        var needed = Array.from(new Set(shown.map(function (n) { return Math.floor(n / meta.chunk); })));
        return Promise.all(needed.map(chunk)).then(function (loaded) {
          if (ticket !== latest) { return; }
          var byChunk = {};
          needed.forEach(function (number, place) { byChunk[number] = loaded[place]; });
          list.textContent = "";
          shown.forEach(function (n) { list.appendChild(renderRow(kind, byChunk[Math.floor(n / meta.chunk)][n % meta.chunk])); });
          if (statics) { statics.hidden = true; }
          results.hidden = false;
          if (total === 0) {
            // Say which choice emptied the list: a filter with nothing at all, or the routine box.
            var empty = found.lists.map(function (rows, place) { return rows.length === 0 ? choices[place] : null; })
              .filter(Boolean);
            var why;
            if (empty.length) {
              why = "There are none at all for " + empty.map(function (c) { return c[0] + " " + c[2]; }).join(" or ") + ".";
            } else if (found.beforeRoutine > 0) {
              why = "The " + found.beforeRoutine.toLocaleString("en-GB") + " that match are all routine: untick “Hide routine resolutions” to see them.";
            } else {
              why = "Each filter finds some on its own, but none together.";
            }
            status.textContent = "No " + noun[1] + " match " + describe(choices) + ". " + why;
          } else {
            status.textContent = "Showing " + ((page - 1) * PAGE_SIZE + 1) + " to " +
              ((page - 1) * PAGE_SIZE + shown.length) + " of " + total.toLocaleString("en-GB") + " " +
              (total === 1 ? noun[0] : noun[1]) + ": " + describe(choices) + ".";
          }
          clear.hidden = false;
          previous.hidden = page <= 1;
          next.hidden = page >= pages;
          pageStatus.textContent = pages > 1 ? "Page " + page + " of " + pages : "";
          if (focusFirst) {
            var first = list.querySelector("a");
            if (first) { first.focus(); }
          }
        });
      }).catch(function () {
        if (ticket !== latest) { return; }
        status.textContent = "The filters could not be loaded. Reload the page to try again; the pages of each year still work.";
      });
    }

    // Asked afresh each time: the folder it names changes whenever the register does.
    fetch(new URL("current.json", home), { cache: "no-cache" }).then(function (response) {
      if (!response.ok) { throw new Error(response.status + " current.json"); }
      return response.json();
    }).then(function (current) {
      index = new URL(current.folder, home);
      return fetchJson(new URL("facets.json", index));
    }).then(function (loaded) {
      meta = loaded;
      var params = new URLSearchParams(window.location.search);
      // A list fetched apart (every owner ever named) comes after the form is shown, so that the
      // form does not wait for it; at once only if the address names a choice from it.
      lateLists = selects.filter(function (select) { return select.options.length <= 1 && select.name !== "year"; });
      return Promise.all(lateLists.filter(function (select) { return params.get(select.name); }).map(offer));
    }).then(function () {
      var params = new URLSearchParams(window.location.search);
      selects.forEach(function (select) {
        var wanted = params.get(select.name);
        if (select.name === "year") { wanted = wanted === "all" ? "" : (wanted === null ? pageYear : wanted); }
        if (wanted !== null && (wanted === "" || select.querySelector('option[value="' + CSS.escape(wanted) + '"]'))) {
          select.value = wanted;
        }
        select.addEventListener("change", function () { page = 1; run(); });
      });
      if (routine) {
        routine.checked = params.get("routine") === "hide";
        routine.addEventListener("change", function () { page = 1; run(); });
      }
      page = parseInt(params.get("page") || "1", 10) || 1;
      previous.addEventListener("click", function () { page -= 1; run(true); });
      next.addEventListener("click", function () { page += 1; run(true); });
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      form.hidden = false;
      run();
      lateLists.forEach(function (select) { offer(select).catch(function () { /* tried again when used */ }); });
    }).catch(function () {
      // Without its index the register still reads as pages of years.
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form.register-filters"), setUp);
  });
})();
