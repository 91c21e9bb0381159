// The archive's search: Pagefind, loaded when the browser is idle or a search box is touched.
//
// The header box shows the best results as you type and opens the search page on
// Enter; the search page (/search/) adds filters (year, committee, topic) and an
// order, all kept in its address so a search can be shared. Each result is an
// agenda item: its date, committee, minute and title, a highlighted excerpt, and
// a link to the item's anchor. Without JavaScript the header box is a plain form
// that opens the search page.
(function () {
  "use strict";

  // The site's root, from where this script is served (assets/javascripts/).
  var root = new URL("../../", document.currentScript.src);
  var index = new URL("pagefind/", root);
  var HEADER_RESULTS = 6;
  var PAGE_SIZE = 20;
  // The synthetic filter each bucket's results carry: its folder's name (see search()).
  var BUCKET = "bucket";
  // What the header's box and the search page say when part of the index did not arrive (see restart).
  var FAILED = "The search could not run. Check the connection, then search again.";
  var loading = null;

  // The index is in chronological buckets of whole years, each a Pagefind bundle named
  // after its content (generator/search.py); buckets.json lists them newest first. The
  // newest bundle's Pagefind is the one loaded, and the others are merged into it
  // (Pagefind's multisite mergeIndex) once a search needs them, so that one search
  // covers every year it reaches.
  function bundleOptions(name) {
    var options = { excerptLength: 24, mergeFilter: {} };
    options.mergeFilter[BUCKET] = name;
    // A bundle's address changes with its content, so its entry file need not be
    // fetched afresh on every page, as Pagefind otherwise does.
    options.metaCacheTag = name;
    return options;
  }

  // The list of buckets is tiny and is needed before anything else can load, so it is
  // asked for at once, off the path of the first search. Revalidated every time: it
  // names the current bundles, and old ones are deleted. Asked for again after a failure.
  var listing = null;
  function bucketList() {
    if (!listing) {
      listing = fetch(new URL("buckets.json", index).href, { cache: "no-cache" }).then(function (response) {
        if (!response.ok) { throw new Error("The search index's list of buckets is missing."); }
        return response.json();
      });
      var asked = listing;
      asked.catch(function () { if (listing === asked) { listing = null; } });  // reported by the search that needed it
    }
    return listing;
  }
  bucketList();

  function address(name) { return new URL(name + "/", index).href; }

  // Pagefind fetches what it starts with one file after another: its worker, then the
  // bucket's entry file, then its metadata and WebAssembly. Asking for them all at once
  // puts them in the browser's cache, where Pagefind then finds them, so the wait is for
  // the largest file and not for the sum of every one in turn.
  function fetchAhead(list, place, engineToo) {
    var folder = address(list.buckets[place]);
    // The index is English, forced (generator/search.py), so its WebAssembly is the English one.
    var wanted = engineToo ? [folder + "pagefind-worker.js", folder + "wasm.en.pagefind"] : [];
    wanted.push(folder + "pagefind-entry.json?ts=" + list.buckets[place]);  // as bundleOptions' metaCacheTag asks for it
    wanted.push(folder + list.meta[place]);
    wanted.forEach(function (url) { fetch(url).catch(function () {}); });  // Pagefind reports what is missing
  }

  // Pagefind started on the newest bucket alone: most searches are answered there, and
  // an older bucket costs its metadata and its own index chunks for every word searched.
  // The older buckets are merged in when a search needs them (reach), newest first.
  function engine() {
    if (!loading) {
      var attempt = bucketList().then(function (list) {
        var names = list.buckets;
        fetchAhead(list, 0, true);
        return import(address(names[0]) + "pagefind.js").then(function (module) {
          return module.options(bundleOptions(names[0]))
            // Start Pagefind now (its worker, the index's metadata and WebAssembly), not at the first search.
            .then(function () { return module.init(); })
            .then(function () {
              var loaded = { pagefind: module, list: list, merging: [Promise.resolve()], attempt: attempt };
              loaded.search = function (term, options) {
                return module.search(term, options).catch(function (error) { restart(loaded); throw error; });
              };
              return loaded;
            });
        });
      });
      loading = attempt;
      attempt.catch(function () { if (loading === attempt) { loading = null; } });  // the next search tries again
    }
    return loading;
  }

  // Pagefind keeps what failed to load (a bucket whose metadata did not arrive, a chunk of
  // the index), and every later search fails on it; so after a failure the next search
  // starts Pagefind afresh, and a reader whose connection came back can simply search again.
  function restart(loaded) {
    if (loaded.broken) { return; }
    loaded.broken = true;
    if (loading === loaded.attempt) { loading = null; }
    loaded.pagefind.destroy().catch(function () {});
  }

  // The engine with the newest `count` buckets merged in (a search covers every bucket
  // merged, or being merged, when it starts). Merging is in order, so the buckets
  // searched are always the newest ones, and the years they hold one span.
  function reach(loaded, count) {
    for (var place = loaded.merging.length; place < Math.min(count, loaded.list.buckets.length); place++) {
      fetchAhead(loaded.list, place, false);
      var name = loaded.list.buckets[place];
      var merged = loaded.pagefind.mergeIndex(address(name), bundleOptions(name));
      merged.catch(function () { restart(loaded); });
      loaded.merging.push(merged);
    }
    return Promise.all(loaded.merging.slice(0, count)).then(function () { return loaded; });
  }

  function everything() {
    return engine().then(function (loaded) { return reach(loaded, loaded.list.buckets.length); });
  }

  // The years the newest `count` buckets hold, as a resident reads them: "2025–2026", "2026";
  // "recent years" from a list of buckets that does not say.
  function yearsOf(loaded, count) {
    var spans = (loaded.list.years || []).slice(0, count).filter(Boolean);
    if (!spans.length) { return "recent years"; }
    var first = Math.min.apply(null, spans.map(function (span) { return span[0]; }));
    var last = Math.max.apply(null, spans.map(function (span) { return span[1]; }));
    return first === last ? String(first) : first + "–" + last;
  }

  // Start loading the index as soon as a search may be coming, so that the first
  // search does not wait for it: on the search page, once it has loaded and the
  // browser is idle (unless the reader has asked to save data); on every page, as
  // soon as the header's box is pointed at, touched or reached from the keyboard.
  // Other pages do not fetch the index for a reader who never searches.
  function whenIdle(callback) {
    if (window.requestIdleCallback) {
      window.requestIdleCallback(callback, { timeout: 2000 });
    } else {
      window.setTimeout(callback, 200);
    }
  }
  function preloadWhenIdle() {
    if (navigator.connection && navigator.connection.saveData) { return; }
    if (!document.querySelector("form[data-archive-search-page]")) { return; }
    whenIdle(function () { everything().catch(function () {}); });
  }
  if (document.readyState === "complete") {
    preloadWhenIdle();
  } else {
    window.addEventListener("load", preloadWhenIdle);
  }

  // "No results", "1 result", "14 results".
  function counted(count) {
    return count === 0 ? "No results" : count + (count === 1 ? " result" : " results");
  }

  // Copy Pagefind's excerpt as text, keeping only its <mark> highlights.
  function excerptInto(element, excerpt) {
    var parsed = new DOMParser().parseFromString("<p>" + excerpt + "</p>", "text/html").body.firstChild;
    Array.prototype.forEach.call(parsed.childNodes, function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        element.appendChild(mark);
      } else {
        element.appendChild(document.createTextNode(node.textContent));
      }
    });
  }

  function resultItem(data) {
    var meta = data.meta;
    var item = document.createElement("li");
    item.className = "archive-result";
    var link = document.createElement("a");
    link.className = "archive-result__title";
    link.href = new URL(meta.link, root).href;
    link.textContent = (meta.minute ? meta.minute + ". " : "") + meta.title;
    item.appendChild(link);
    if (meta.date || meta.committee) {
      var facts = document.createElement("p");
      facts.className = "archive-result__facts";
      facts.textContent = [meta.date, meta.committee].filter(Boolean).join(" · ");
      item.appendChild(facts);
    }
    var excerpt = document.createElement("p");
    excerpt.className = "archive-result__excerpt";
    // Topics and glossary terms show their own summary, not the names they were found by.
    if (meta.summary) { excerpt.textContent = meta.summary; } else { excerptInto(excerpt, data.excerpt); }
    item.appendChild(excerpt);
    return item;
  }

  // A search of every year, as the search page asks for.
  function search(query, filters, order) {
    return everything().then(function (loaded) {
      var term = query || null;
      if (order !== "newest" && order !== "oldest") {
        return loaded.search(term, { filters: filters || {} });
      }
      var sort = { date: order === "newest" ? "desc" : "asc" };
      if (loaded.list.buckets.length === 1) {
        return loaded.search(term, { filters: filters || {}, sort: sort });
      }
      // Pagefind orders a merged search by score, and a sorted search scores each result
      // by its place in its own bucket's order, so the buckets' results would interleave.
      // The buckets are whole years, so search each alone (by the filter naming it) and
      // join them, newest bucket first or oldest first.
      var names = order === "newest" ? loaded.list.buckets : loaded.list.buckets.slice().reverse();
      return Promise.all(names.map(function (name) {
        var only = {};
        Object.keys(filters || {}).forEach(function (key) { only[key] = filters[key]; });
        only[BUCKET] = name;
        return loaded.search(term, { filters: only, sort: sort });
      })).then(function (parts) {
        return { results: parts.reduce(function (all, part) { return all.concat(part.results); }, []) };
      });
    });
  }

  // Fetch the results' texts, each showing as soon as it arrives: a hidden placeholder
  // holds each result's place, so the list keeps the order of relevance. `current` says
  // whether the list is still wanted; when done, the list is no longer busy.
  function fillInOrder(list, results, current) {
    list.setAttribute("aria-busy", "true");
    return Promise.all(results.map(function (result) {
      var slot = document.createElement("li");
      slot.hidden = true;
      list.appendChild(slot);
      return result.data().then(function (data) {
        if (current()) { list.replaceChild(resultItem(data), slot); }
      }, function () {
        if (current()) { list.removeChild(slot); }  // one missing text loses one result, not all
      });
    })).then(function () {
      if (current()) { list.removeAttribute("aria-busy"); }
    });
  }

  // --- The header box --------------------------------------------------------

  // The header's search: the newest years first, reaching back (the bucket before, then
  // all the rest) until there are enough results to fill the box or every year has been searched.
  // Resolves to the results and the years searched ("" when every year was).
  function headerSearch(query) {
    return engine().then(function (loaded) {
      var every = loaded.list.buckets.length;
      function from(count) {
        var searched;
        return reach(loaded, count).then(function () {
          // A search covers every bucket merged, or being merged, when it starts, whoever asked for it.
          searched = loaded.merging.length;
          return loaded.search(query, {});
        }).then(function (found) {
          if (found.results.length >= HEADER_RESULTS || searched >= every) {
            return { results: found.results, years: searched >= every ? "" : yearsOf(loaded, searched) };
          }
          // Then the bucket before, where a word scarce this year is most often found; past that, every
          // year at once: a word that rare would otherwise cost a round trip for each bucket in turn.
          return from(searched < 2 ? searched + 1 : every);
        });
      }
      return from(loaded.merging.length);
    });
  }

  function setUpHeader(form) {
    var input = form.querySelector("input[name=q]");
    var panel = form.querySelector("[data-archive-results]");
    var latest = 0;
    // Whether a search is under way, and the words typed since it began (see request).
    var running = false;
    var waiting = null;

    // One status line for every search, its words changed each time: a live region that is
    // replaced by a new one, already filled, is often not read out at all.
    var status = document.createElement("p");
    status.className = "archive-search__status";
    status.setAttribute("role", "status");

    function clear() {
      while (panel.lastChild && panel.lastChild !== status) { panel.removeChild(panel.lastChild); }
      if (!status.parentNode) { panel.textContent = ""; panel.appendChild(status); }
    }

    clear();  // the live region is in the page from the start, so its first words are read out too

    // Closing also outdates the search under way, and the words typed while it ran, whose
    // results would open the panel again.
    function close() {
      latest++;
      waiting = null;
      panel.hidden = true;
      clear();
      status.textContent = "";
    }

    // Empty the panel but for its status line, open it, and say what the search found.
    function announce(words) {
      clear();
      status.textContent = words;
      panel.hidden = false;
    }

    // Resolves once the list is in place (its texts still arriving).
    function show(query) {
      if (!query.trim()) { close(); return Promise.resolve(); }
      var ticket = ++latest;
      return headerSearch(query).then(function (found) {
        if (ticket !== latest) { return; }  // a newer query has started, or the box was closed
        var count = found.results.length;
        announce(counted(count) + (found.years ? " in " + found.years : ""));
        var list = document.createElement("ol");
        list.className = "archive-search__list";
        panel.appendChild(list);
        if (count > 0) {
          var all = document.createElement("a");
          all.className = "archive-search__all";
          all.href = new URL("search/?q=" + encodeURIComponent(query), root).href;
          all.textContent = found.years ? "All years, all results and filters" : "All results and filters";
          panel.appendChild(all);
        }
        fillInOrder(list, found.results.slice(0, HEADER_RESULTS), function () { return ticket === latest; })
          .catch(function () {});  // each result's own failure is handled there
      }, function () {
        if (ticket === latest) { announce(FAILED); }
      });
    }

    // Search as soon as a word is typed, not after a pause: while one search runs, later
    // keystrokes wait, and only the last of them is searched once it ends. So the first
    // result comes at once, and fast typing does not queue a search for every letter.
    function request(query) {
      waiting = query;
      if (running) { return; }
      running = true;
      waiting = null;
      var done = function () {
        running = false;
        if (waiting !== null) { request(waiting); }
      };
      show(query).then(done, done);
    }
    input.addEventListener("input", function () {
      var query = input.value;
      // Fetch the words' part of the index while an earlier search runs, to search at once after.
      if (running && query.trim()) {
        engine().then(function (loaded) { return loaded.pagefind.preload(query); }).catch(function () {});
      }
      request(query);
    });
    // Load the index when the box is about to be used, not when the first word is typed.
    ["focus", "pointerenter", "pointerdown"].forEach(function (event) {
      input.addEventListener(event, function () { engine().catch(function () {}); });
    });
    form.addEventListener("keydown", function (event) {
      var links = Array.prototype.slice.call(panel.querySelectorAll("a"));
      var at = links.indexOf(document.activeElement);
      if (event.key === "Escape") {
        close();
        input.focus();
      } else if (event.key === "ArrowDown" && links.length) {
        event.preventDefault();
        links[Math.min(at + 1, links.length - 1)].focus();
      } else if (event.key === "ArrowUp" && at >= 0) {
        event.preventDefault();
        if (at === 0) { input.focus(); } else { links[at - 1].focus(); }
      }
    });
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) { close(); }
    });
    // "/" or "s" from anywhere (but not while typing) goes to the search box.
    document.addEventListener("keydown", function (event) {
      var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName) ||
        document.activeElement.isContentEditable;
      if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey && (event.key === "/" || event.key === "s")) {
        event.preventDefault();
        input.focus();
      }
    });
  }

  // --- The search page -------------------------------------------------------

  function setUpPage(form) {
    var list = document.querySelector(".archive-search-page__results");
    var status = document.querySelector(".archive-search-page__status");
    var more = document.querySelector("[data-archive-more]");
    var clear = document.querySelector("[data-archive-clear]");
    var fields = ["q", "year", "committee", "topic", "type", "sort"];
    var found = [];
    var shown = 0;
    var latest = 0;

    function values() {
      var chosen = {};
      fields.forEach(function (name) { chosen[name] = form.elements[name].value; });
      return chosen;
    }

    function showMore() {
      var ticket = latest;
      var next = found.slice(shown, shown + PAGE_SIZE);
      shown += next.length;
      more.hidden = shown >= found.length;
      return Promise.all(next.map(function (r) { return r.data(); })).then(function (datas) {
        if (ticket !== latest) { return; }  // a newer search has cleared the list
        datas.forEach(function (data) { list.appendChild(resultItem(data)); });
      });
    }

    function run() {
      var ticket = ++latest;
      var chosen = values();
      var params = new URLSearchParams();
      fields.forEach(function (name) { if (chosen[name]) { params.set(name, chosen[name]); } });
      var query = params.toString();
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
      var filters = {};
      ["year", "committee", "topic", "type"].forEach(function (name) { if (chosen[name]) { filters[name] = chosen[name]; } });
      clear.hidden = Object.keys(filters).length === 0;
      if (!chosen.q.trim() && Object.keys(filters).length === 0) {
        list.textContent = "";
        more.hidden = true;
        status.textContent = "Type words to find, or choose a year, committee, topic or type.";
        return;
      }
      status.textContent = "Searching…";
      search(chosen.q, filters, chosen.sort).then(function (result) {
        if (ticket !== latest) { return; }
        found = result.results;
        shown = 0;
        list.textContent = "";
        return describe(chosen, filters, found.length).then(function (words) {
          if (ticket !== latest) { return; }
          status.textContent = words;
          return showMore();
        });
      }).catch(function () {
        if (ticket !== latest) { return; }
        status.textContent = FAILED;
      });
    }

    clear.addEventListener("click", function () {
      ["year", "committee", "topic", "type"].forEach(function (name) { form.elements[name].value = ""; });
      run();
      form.elements.q.focus();
    });

    // The filter's name and the option chosen, as a resident reads them: "the topic Knife crime".
    function filterWords(name) {
      var select = form.elements[name];
      var label = select.options[select.selectedIndex].text;
      if (name === "type") { return "among " + label.toLowerCase(); }
      return name === "year" ? "in " + label : "the " + name + " " + label;
    }

    // What the search did, in words: how many results, for which words, with which filters; and,
    // when the filters leave nothing, which of them emptied the list.
    function describe(chosen, filters, count) {
      var names = Object.keys(filters);
      var typed = chosen.q.trim();
      // Words in double quotes are searched as a phrase, as Pagefind does.
      var phrase = /^"[^"]+"$/.test(typed);
      var words = typed ? (phrase ? " for the phrase “" + typed.slice(1, -1) + "”" : " for “" + typed + "”") : "";
      var narrowed = names.length ? ", " + names.map(function (name) {
        return name === "year" || name === "type" ? filterWords(name) : "with " + filterWords(name);
      }).join(", ") : "";
      if (count > 0 || names.length === 0) {
        var said = counted(count) + words;
        return Promise.resolve(said + narrowed + ".");
      }
      // Search again without the filters (when there are words to search for), then with each filter alone.
      var everything = typed ? search(chosen.q, {}, "") : Promise.resolve(null);
      return everything.then(function (unfiltered) {
        if (unfiltered && unfiltered.results.length === 0) {
          return "No results" + words + " anywhere in the archive, with or without filters.";
        }
        return Promise.all(names.map(function (name) {
          var alone = {};
          alone[name] = filters[name];
          return search(chosen.q, alone, "").then(function (r) { return r.results.length; });
        })).then(function (counts) {
          var emptied = names.filter(function (name, place) { return counts[place] === 0; });
          var total = unfiltered ? unfiltered.results.length : 0;
          var without = !unfiltered ? "" :
            " Without filters there " + (total === 1 ? "is 1 result." : "are " + total + " results.");
          if (emptied.length) {
            return "No results" + words + " " + emptied.map(function (name) {
              return name === "year" || name === "type" ? filterWords(name) : "with " + filterWords(name);
            }).join(" or ") + ": that filter leaves nothing." + without;
          }
          return "No results" + words + narrowed + ": each filter finds some alone, but not together." + without;
        });
      });
    }
    var params = new URLSearchParams(window.location.search);
    fields.forEach(function (name) {
      var field = form.elements[name];
      var wanted = params.get(name);
      if (wanted !== null) { field.value = wanted; }
      if (field.tagName === "SELECT") {
        field.addEventListener("change", run);
      } else {
        // Search once typing pauses, not on every key: each search is announced to screen readers.
        var timer = null;
        field.addEventListener("input", function () {
          window.clearTimeout(timer);
          timer = window.setTimeout(run, 200);
        });
      }
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
    more.addEventListener("click", function () {
      var first = shown;
      showMore().then(function () {
        var link = list.children[first] && list.children[first].querySelector("a");
        if (link) { link.focus(); }
      });
    });
    run();
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-archive-search]"), setUpHeader);
    Array.prototype.forEach.call(document.querySelectorAll("form[data-archive-search-page]"), setUpPage);
  });
})();
