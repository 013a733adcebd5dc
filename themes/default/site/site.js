/* depthbook default site script: study mode (hide/show all answers,
   remembered; applied before the first paint by page.html's head script),
   the colour-scheme switch, search over the per-guide indexes (loaded on
   first use), the follow-ups' outline, keyboard shortcuts, copy buttons
   and highlighting for code, and recall grades for spaced review (SM-2,
   shared with review.js through window.depthbookReview). No request
   leaves the site. */
(function () {
  "use strict";
  var doc = document, html = doc.documentElement;
  var root = html.getAttribute("data-root") || "";
  var ownGuide = html.getAttribute("data-guide") || "";
  var store = (function () {
    try { var s = window.localStorage; s.getItem("x"); return s; } catch (e) { return null; }
  })();
  function get(k) { return store ? store.getItem(k) : null; }
  function set(k, v) { try { if (store) store.setItem(k, v); } catch (e) { /* full or off */ } }

  /* Study mode. The head script already hid the answers if the reader
     chose to; here the <details> follow, and the toggle works. */
  var KEY = "depthbook.hideAnswers";
  var answers = doc.querySelectorAll("details.answer");
  var toggle = doc.getElementById("toggle-answers");
  function apply(hide) {
    html.classList.toggle("hide-answers", hide);
    for (var i = 0; i < answers.length; i++) if (answers[i].open === hide) answers[i].open = !hide;
    if (toggle) toggle.setAttribute("aria-pressed", hide ? "true" : "false");
  }
  apply(get(KEY) === "1");
  html.classList.add("study-ready");
  if (toggle) toggle.addEventListener("click", function () {
    var hide = !html.classList.contains("hide-answers");
    apply(hide);
    set(KEY, hide ? "1" : "0");
  });
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

  /* Colour scheme: the system's, or the reader's pick, remembered. */
  var schemes = ["system", "light", "dark"], icons = { system: "\u25d0", light: "\u2600", dark: "\u263e" };
  var themeButton = doc.getElementById("theme-switch");
  function showScheme(s) {
    if (s === "system") html.removeAttribute("data-theme"); else html.setAttribute("data-theme", s);
    if (!themeButton) return;
    var next = schemes[(schemes.indexOf(s) + 1) % 3];
    themeButton.setAttribute("aria-label", "Colour scheme: " + s + " (switch to " + next + ")");
    themeButton.title = "Colour scheme: " + s;
    themeButton.firstChild.textContent = icons[s];
  }
  var scheme = get("depthbook.theme");
  if (schemes.indexOf(scheme) < 0) scheme = "system";
  showScheme(scheme);
  if (themeButton) themeButton.addEventListener("click", function () {
    scheme = schemes[(schemes.indexOf(scheme) + 1) % 3];
    set("depthbook.theme", scheme === "system" ? "" : scheme);
    showScheme(scheme);
  });

  /* Spaced review: SM-2 (P. Wozniak, SuperMemo 2, 1987). Grades 1-4
     (again, hard, good, easy) are SM-2 qualities 1, 3, 4, 5. A card's
     state {n, ef, iv, due, last} is kept per guide under
     depthbook.review.<slug>; due is a local day number. */
  var review = window.depthbookReview = {
    today: function () {
      var now = new Date();
      return Math.floor((now.getTime() - now.getTimezoneOffset() * 60000) / 86400000);
    },
    load: function (slug) {
      try { return JSON.parse(get("depthbook.review." + slug) || "{}") || {}; } catch (e) { return {}; }
    },
    save: function (slug, cards) { set("depthbook.review." + slug, JSON.stringify(cards)); },
    grade: function (state, g) {
      var q = [0, 1, 3, 4, 5][g], s = state || { n: 0, ef: 2.5, iv: 0 };
      var n = s.n, ef = s.ef, iv;
      if (q < 3) { n = 0; iv = 1; } else {
        iv = n === 0 ? 1 : n === 1 ? 6 : Math.round(s.iv * ef);
        n++;
        ef = Math.max(1.3, ef + (0.1 - (5 - q) * (0.08 + (5 - q) * 0.02)));
      }
      return { n: n, ef: Math.round(ef * 1000) / 1000, iv: iv, due: review.today() + iv, last: Date.now() };
    },
    when: function (state) {
      if (!state) return "";
      var d = state.due - review.today();
      return d <= 0 ? "Due today" : d === 1 ? "Next review tomorrow" : "Next review in " + d + " days";
    }
  };
  var grades = doc.querySelectorAll(".grade[data-card]");
  if (grades.length && ownGuide) {
    var cards = review.load(ownGuide);
    Array.prototype.forEach.call(grades, function (box) {
      var key = box.getAttribute("data-card"), due = box.querySelector(".grade-due");
      if (cards[key]) due.textContent = review.when(cards[key]);
      box.addEventListener("click", function (ev) {
        var b = ev.target.closest("button");
        if (!b) return;
        cards = review.load(ownGuide);
        cards[key] = review.grade(cards[key], +b.value);
        review.save(ownGuide, cards);
        Array.prototype.forEach.call(box.querySelectorAll("button"), function (x) {
          x.setAttribute("aria-pressed", x === b ? "true" : "false");
        });
        due.textContent = review.when(cards[key]);
      });
    });
  }

  /* Search. Each guide's index is a script, search/<slug>.js; a page
     loads its own guide's when idle and every guide's when the search box
     is first focused, so a page costs one guide's index at most until
     the reader searches. */
  var input = doc.getElementById("search-q");
  var list = doc.getElementById("search-results");
  var status = doc.getElementById("search-status");
  var data = window.DEPTHBOOK_SEARCH = window.DEPTHBOOK_SEARCH || {};
  var entries = [], dict = new Map(), indexed = {}, allLoaded = false, waiting = null;
  var TOKEN = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]|[^\s\p{P}\p{S}\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]+/gu;
  function fold(s) { return s.normalize("NFD").replace(/\p{M}+/gu, "").toLowerCase(); }
  function words(s) { return (fold(s).match(TOKEN) || []); }
  function script(src, done) {
    var s = doc.createElement("script");
    s.src = src; s.async = true;
    s.onload = s.onerror = function () { done(); };
    doc.head.appendChild(s);
  }
  var pending = {};
  function loadGuide(slug, done) {
    if (data[slug]) return done();
    if (pending[slug]) { pending[slug].push(done); return; }
    pending[slug] = [done];
    script(root + "search/" + encodeURIComponent(slug) + ".js", function () {
      var w = pending[slug]; delete pending[slug];
      w.forEach(function (f) { f(); });
    });
  }
  function addWord(w, id) {
    var ids = dict.get(w);
    if (!ids) dict.set(w, ids = []);
    if (ids[ids.length - 1] !== id) ids.push(id);
  }
  /* Adds the loaded guides' entries to the word table, own guide first. */
  function indexLoaded() {
    var slugs = Object.keys(data).sort(function (a, b) { return (b === ownGuide) - (a === ownGuide); });
    slugs.forEach(function (slug) {
      if (indexed[slug]) return;
      indexed[slug] = true;
      data[slug].entries.forEach(function (e) {
        var id = entries.length, qw = words(e[1] + " " + e[2]);
        var en = { href: e[0], guide: data[slug].title, label: e[1], q: e[2], a: e[3], qw: new Set(qw) };
        entries.push(en);
        qw.forEach(function (w) { addWord(w, id); });
        words(e[3]).forEach(function (w) { addWord(w, id); });
      });
    });
  }
  function loadAll(done) {
    if (allLoaded) return done && done();
    if (waiting) { if (done) waiting.push(done); return; }
    waiting = done ? [done] : [];
    script(root + "search/guides.js", function () {
      var slugs = window.DEPTHBOOK_GUIDES || [], left = slugs.length;
      function one() {
        if (--left > 0) return;
        allLoaded = true;
        indexLoaded();
        waiting.forEach(function (f) { f(); });
      }
      if (!left) { left = 1; one(); }
      slugs.forEach(function (s) { loadGuide(s, one); });
    });
  }
  /* 1 if a and b differ by at most one letter inserted, dropped or changed. */
  function near(a, b) {
    var la = a.length, lb = b.length, i = 0, j = 0, edits = 0;
    if (Math.abs(la - lb) > 1) return false;
    while (i < la && j < lb) {
      if (a[i] === b[j]) { i++; j++; continue; }
      if (++edits > 1) return false;
      if (la > lb) i++; else if (lb > la) j++; else { i++; j++; }
    }
    return edits + (la - i) + (lb - j) <= 1;
  }
  /* How well word w matches the typed term t: 3 the word, 2 a prefix of
     it, 1 one letter off (terms of five letters or more), 0 not. */
  function quality(t, w) {
    if (w === t) return 3;
    if (w.lastIndexOf(t, 0) === 0) return 2;
    if (t.length >= 5 && w.length >= t.length - 1 &&
        (near(t, w) || near(t, w.slice(0, t.length)) || near(t, w.slice(0, t.length - 1)) ||
         near(t, w.slice(0, t.length + 1)))) return 1;
    return 0;
  }
  function search(query) {
    var terms = words(query), total = null;
    if (!terms.length) return [];
    terms.forEach(function (t) {
      var best = new Map();
      dict.forEach(function (ids, w) {
        var q = quality(t, w);
        if (!q) return;
        ids.forEach(function (id) {
          var s = q * (entries[id].qw.has(w) ? 2 : 1);
          if ((best.get(id) || 0) < s) best.set(id, s);
        });
      });
      if (total === null) total = best;
      else {
        var both = new Map();
        total.forEach(function (s, id) { if (best.has(id)) both.set(id, s + best.get(id)); });
        total = both;
      }
    });
    var hits = [];
    total.forEach(function (s, id) { hits.push({ id: id, score: s }); });
    hits.sort(function (x, y) { return y.score - x.score || x.id - y.id; });
    return hits.map(function (h) { return entries[h.id]; });
  }
  /* Appends text to el with every word that matches a term marked. */
  function marked(el, text, terms) {
    var last = 0, m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(text)) !== null) {
      var f = fold(m[0]);
      if (!terms.some(function (t) { return quality(t, f) > 0; })) continue;
      if (m.index > last) el.appendChild(doc.createTextNode(text.slice(last, m.index)));
      var mk = doc.createElement("mark");
      mk.textContent = m[0];
      el.appendChild(mk);
      last = m.index + m[0].length;
    }
    if (last < text.length) el.appendChild(doc.createTextNode(text.slice(last)));
  }
  /* The stretch of an answer around its first match, cut at spaces. */
  function snippet(text, terms) {
    var m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(text)) !== null) {
      var f = fold(m[0]);
      if (terms.some(function (t) { return quality(t, f) > 0; })) break;
    }
    if (!m) return null;
    var from = Math.max(0, m.index - 60), to = Math.min(text.length, m.index + 120);
    if (from > 0) { var sp = text.indexOf(" ", from); if (sp >= 0 && sp < m.index) from = sp + 1; }
    if (to < text.length) { var sp2 = text.lastIndexOf(" ", to); if (sp2 > m.index) to = sp2; }
    return (from > 0 ? "\u2026" : "") + text.slice(from, to) + (to < text.length ? "\u2026" : "");
  }
  var CAP = 20;
  function item(text, cls) {
    var li = doc.createElement("li");
    if (cls) li.className = cls;
    if (text) li.textContent = text;
    list.appendChild(li);
    return li;
  }
  function show(query) {
    while (list.firstChild) list.removeChild(list.firstChild);
    if (!query.trim()) { list.hidden = true; status.textContent = ""; return; }
    if (!allLoaded) {
      item("Loading the index\u2026", "none");
      list.hidden = false;
      loadAll(function () { if (input.value === query) show(query); });
      return;
    }
    var terms = words(query), hits = search(query);
    status.textContent = hits.length === 1 ? "1 result" : hits.length + " results";
    if (!hits.length) item("Nothing holds every word. Check the spelling, or use fewer words.", "none");
    hits.slice(0, CAP).forEach(function (e) {
      var li = item(null, null), a = doc.createElement("a"), where = doc.createElement("span");
      a.href = root + e.href;
      a.appendChild(doc.createTextNode(e.label + ": "));
      marked(a, e.q, terms);
      where.className = "where";
      where.textContent = e.guide;
      li.appendChild(a);
      li.appendChild(where);
      var sn = snippet(e.a, terms);
      if (sn) {
        var p = doc.createElement("span");
        p.className = "snippet";
        marked(p, sn, terms);
        li.appendChild(p);
      }
    });
    if (hits.length > CAP)
      item("Showing " + CAP + " of " + hits.length + " results (" + (hits.length - CAP) +
        " more). Add a word to narrow the search.", "more");
    list.hidden = false;
  }
  if (input && list) {
    input.addEventListener("focus", function () { loadAll(); if (input.value.trim()) show(input.value); });
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
      var i = links.indexOf(doc.activeElement);
      if (i < 0) return;
      if (ev.key === "ArrowDown" && i + 1 < links.length) { ev.preventDefault(); links[i + 1].focus(); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); (i > 0 ? links[i - 1] : input).focus(); }
      else if (ev.key === "Escape") { ev.preventDefault(); input.focus(); list.hidden = true; }
    });
    /* A result on this page only moves to its fragment: close the list. */
    list.addEventListener("click", function (ev) {
      var a = ev.target.closest("a");
      if (a && a.pathname === location.pathname) list.hidden = true;
    });
    /* A click outside the search closes its results. */
    doc.addEventListener("click", function (ev) {
      if (!input.parentNode.contains(ev.target)) list.hidden = true;
    });
    if (ownGuide) {
      var idle = window.requestIdleCallback || function (f) { return setTimeout(f, 2000); };
      /* fetch only: the word table is built when the reader searches,
         so an idle page does no work for a search it may never make */
      var fetchOwn = function () { idle(function () { loadGuide(ownGuide, function () {}); }, { timeout: 5000 }); };
      /* and only once the page has loaded: never ahead of what it shows */
      if (doc.readyState === "complete") fetchOwn(); else window.addEventListener("load", fetchOwn);
    }
  }

  /* The outline: the follow-up in view is marked; back to top appears
     once the first screen is passed. */
  var depths = Array.prototype.slice.call(doc.querySelectorAll("section.depth"));
  var outline = doc.querySelector(".outline nav");
  var toTop = doc.querySelector(".to-top");
  var links = {};
  if (outline) Array.prototype.forEach.call(outline.querySelectorAll("a"), function (a) {
    links[a.getAttribute("href").slice(1)] = a;
  });
  var current = null, ticking = false;
  // The current follow-up: the last whose top has passed a line near the
  // top of the window (96 px, or 30% of a short window), so that after a
  // jump to #d60 a short Depth 60 is current, not the Depth 61 below it.
  function currentIndex() {
    var line = Math.min(window.innerHeight * 0.3, 96), k = -1;
    for (var i = 0; i < depths.length; i++) {
      if (depths[i].getBoundingClientRect().top <= line) k = i; else break;
    }
    return k;
  }
  function mark() {
    ticking = false;
    if (toTop) toTop.classList.toggle("shown", window.scrollY > window.innerHeight);
    if (!outline) return;
    var k = currentIndex(), a = k >= 0 ? links[depths[k].id] : null;
    if (a === current) return;
    if (current) current.removeAttribute("aria-current");
    current = a;
    if (!a) return;
    a.setAttribute("aria-current", "true");
    var box = outline.parentNode;
    if (box.scrollHeight > box.clientHeight) {
      var t = a.offsetTop - box.clientHeight / 2;
      box.scrollTop = t;
    }
  }
  if (depths.length || toTop) {
    window.addEventListener("scroll", function () {
      if (!ticking) { ticking = true; window.requestAnimationFrame(mark); }
    }, { passive: true });
    /* opened at a fragment: mark it once the page has settled */
    if (location.hash) (window.requestIdleCallback || setTimeout)(mark);
  }
  /* An outline link on a phone closes the outline it was chosen from. */
  if (outline) outline.addEventListener("click", function () {
    var d = outline.parentNode;
    if (window.matchMedia("(max-width: 77.99rem)").matches) d.open = false;
  });

  /* Keyboard shortcuts, never while typing in a field. */
  var keys = [["/", "Search"]];
  if (depths.length) keys.push(["j / k", "Next / previous follow-up"]);
  if (toggle) keys.push(["h", "Hide or show all answers"]);
  if (doc.body.classList.contains("review-page")) keys.push(["Space", "Show the answer"], ["1\u20134", "Grade: again, hard, good, easy"]);
  keys.push(["?", "This list"]);
  var dialog = null;
  function showKeys() {
    if (!dialog) {
      dialog = doc.createElement("dialog");
      dialog.className = "keys";
      dialog.setAttribute("aria-labelledby", "keys-h");
      var h = doc.createElement("h2"), dl = doc.createElement("dl"), close = doc.createElement("button");
      h.id = "keys-h"; h.textContent = "Keyboard shortcuts";
      keys.forEach(function (k) {
        var dt = doc.createElement("dt"), kb = doc.createElement("kbd"), dd = doc.createElement("dd");
        kb.textContent = k[0]; dt.appendChild(kb); dd.textContent = k[1];
        dl.appendChild(dt); dl.appendChild(dd);
      });
      close.type = "button"; close.className = "tool"; close.textContent = "Close";
      close.addEventListener("click", function () { dialog.close(); });
      dialog.appendChild(h); dialog.appendChild(dl); dialog.appendChild(close);
      doc.body.appendChild(dialog);
    }
    dialog.showModal();
  }
  function go(step) {
    if (!depths.length) return;
    var k = -1, i;
    /* the one at the top sits a scroll margin (0.5rem) below it, give or take a fraction */
    for (i = 0; i < depths.length; i++) if (depths[i].getBoundingClientRect().top <= 16) k = i;
    var to = depths[Math.max(0, Math.min(depths.length - 1, k + step))];
    if (step < 0 && k >= 0 && depths[k].getBoundingClientRect().top < -16) to = depths[k];
    to.scrollIntoView({ block: "start" });
    var self = to.querySelector("a.self");
    if (self) self.focus({ preventScroll: true });
  }
  doc.addEventListener("keydown", function (ev) {
    var t = ev.target;
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.defaultPrevented) return;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (dialog && dialog.open) return;
    if (ev.key === "/" && input) { ev.preventDefault(); input.focus(); input.select(); }
    else if (ev.key === "?") { ev.preventDefault(); showKeys(); }
    else if (ev.key === "h" && toggle) { ev.preventDefault(); toggle.click(); }
    else if (ev.key === "j" && depths.length) { ev.preventDefault(); go(1); }
    else if (ev.key === "k" && depths.length) { ev.preventDefault(); go(-1); }
  });

  /* Code: a copy button on each block, and the highlighter where the
     page loads it (only pages with code do). */
  function copyText(text, button) {
    function done(ok) {
      button.textContent = ok ? "Copied" : "Copy failed";
      setTimeout(function () { button.textContent = "Copy"; }, 1500);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
      return;
    }
    var ta = doc.createElement("textarea");
    ta.value = text; ta.setAttribute("readonly", ""); ta.style.position = "fixed"; ta.style.opacity = "0";
    doc.body.appendChild(ta); ta.select();
    var ok = false;
    try { ok = doc.execCommand("copy"); } catch (e) { ok = false; }
    doc.body.removeChild(ta);
    done(ok);
  }
  function codeBlocks() {
    Array.prototype.forEach.call(doc.querySelectorAll("main pre > code"), function (code) {
      if (window.hljs && /\blanguage-/.test(code.className)) {
        try { window.hljs.highlightBlock(code); } catch (e) { /* left plain */ }
      }
      var b = doc.createElement("button");
      b.type = "button"; b.className = "copy"; b.textContent = "Copy";
      b.addEventListener("click", function () { copyText(code.textContent, b); });
      code.parentNode.appendChild(b);
    });
  }
  /* the highlighter is a later deferred script: wait until it has run */
  if (doc.readyState !== "complete") doc.addEventListener("DOMContentLoaded", codeBlocks); else codeBlocks();
})();
