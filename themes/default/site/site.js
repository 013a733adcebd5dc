/* depthbook default site script: study mode (hide/show all answers,
   remembered in localStorage) and search over the build-time index that
   search-index.js defines. No request leaves the page. */
(function () {
  "use strict";
  var KEY = "depthbook.hideAnswers";
  var root = document.documentElement.getAttribute("data-root") || "";

  function load() {
    try { return window.localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }
  function save(hide) {
    try { window.localStorage.setItem(KEY, hide ? "1" : "0"); } catch (e) { /* private mode */ }
  }

  /* Study mode */
  var answers = document.querySelectorAll("details.answer");
  var toggle = document.getElementById("toggle-answers");
  var hidden = false;
  function apply(hide) {
    hidden = hide;
    for (var i = 0; i < answers.length; i++) answers[i].open = !hide;
    toggle.textContent = hide ? "Show all answers" : "Hide all answers";
  }
  if (toggle && answers.length) {
    toggle.hidden = false;
    apply(load());
    toggle.addEventListener("click", function () { apply(!hidden); save(hidden); });
  }
  /* Printing shows every answer, then restores the reader's choice. */
  var printState = null;
  window.addEventListener("beforeprint", function () {
    printState = [];
    for (var i = 0; i < answers.length; i++) { printState.push(answers[i].open); answers[i].open = true; }
  });
  window.addEventListener("afterprint", function () {
    if (!printState) return;
    for (var i = 0; i < answers.length; i++) answers[i].open = printState[i];
    printState = null;
  });

  /* Search: every word must match the start of a word of the follow-up's
     question or answer; question matches rank first. */
  var input = document.getElementById("search-q");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var index = window.DEPTHBOOK_INDEX || [];
  var prepared = null;
  function words(s) {
    return s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length > 0; });
  }
  function prepare() {
    prepared = index.map(function (e, i) {
      return { e: e, order: i, q: words(e[3]), a: words(e[4]) };
    });
  }
  function hasPrefix(ws, p) {
    for (var i = 0; i < ws.length; i++) if (ws[i].lastIndexOf(p, 0) === 0) return true;
    return false;
  }
  function search(query) {
    if (!prepared) prepare();
    var terms = words(query);
    if (!terms.length) return [];
    var hits = [];
    prepared.forEach(function (p) {
      var inQ = 0;
      for (var i = 0; i < terms.length; i++) {
        var q = hasPrefix(p.q, terms[i]);
        if (!q && !hasPrefix(p.a, terms[i])) return;
        if (q) inQ++;
      }
      hits.push({ p: p, score: inQ });
    });
    hits.sort(function (x, y) { return y.score - x.score || x.p.order - y.p.order; });
    return hits;
  }
  function item(text, cls) {
    var li = document.createElement("li");
    if (cls) li.className = cls;
    if (text) li.textContent = text;
    list.appendChild(li);
    return li;
  }
  function show(query) {
    while (list.firstChild) list.removeChild(list.firstChild);
    if (!query.trim()) { list.hidden = true; status.textContent = ""; return; }
    var hits = search(query);
    status.textContent = hits.length === 1 ? "1 follow-up found" : hits.length + " follow-ups found";
    if (!hits.length) item("No follow-up holds every word.", "none");
    hits.slice(0, 50).forEach(function (h) {
      var e = h.p.e, li = item(null, null), a = document.createElement("a");
      a.href = root + e[0];
      a.textContent = e[2] + ": " + e[3];
      var where = document.createElement("span");
      where.className = "where";
      where.textContent = e[1];
      li.appendChild(a);
      li.appendChild(where);
    });
    list.hidden = false;
  }
  if (input && list) {
    input.parentNode.hidden = false; /* without JavaScript there is no search */
    input.addEventListener("input", function () { show(input.value); });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown") {
        var a = list.querySelector("a");
        if (a) { ev.preventDefault(); a.focus(); }
      } else if (ev.key === "Enter") {
        var first = list.querySelector("a");
        if (first) { ev.preventDefault(); first.click(); }
      } else if (ev.key === "Escape") {
        input.value = ""; show("");
      }
    });
    /* Arrow keys move between results; Escape goes back to the box. */
    list.addEventListener("keydown", function (ev) {
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var i = links.indexOf(document.activeElement);
      if (i < 0) return;
      if (ev.key === "ArrowDown" && i + 1 < links.length) { ev.preventDefault(); links[i + 1].focus(); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); (i > 0 ? links[i - 1] : input).focus(); }
      else if (ev.key === "Escape") { ev.preventDefault(); input.focus(); list.hidden = true; }
    });
    /* A click outside the search closes its results. */
    document.addEventListener("click", function (ev) {
      if (!input.parentNode.contains(ev.target)) list.hidden = true;
    });
    input.addEventListener("focus", function () { if (input.value.trim()) show(input.value); });
  }
})();
