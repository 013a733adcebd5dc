/* depthbook review page: the follow-ups due today across the library,
   one at a time (question, reveal, grade, next), scheduled by SM-2 in
   site.js (window.depthbookReview); the cards come from review/<slug>.js,
   scripts so that the page works over file://. Progress exports to and
   imports from a JSON file. */
(function () {
  "use strict";
  var R = window.depthbookReview, decks = window.DEPTHBOOK_REVIEW || [];
  var doc = document, $ = function (id) { return doc.getElementById(id); };
  if (!R) return;
  var card = $("review-card"), done = $("review-done"), answer = $("r-answer");
  var reveal = $("r-reveal"), grades = $("r-grades"), statusLine = $("r-status");
  var queue = [], shown = null, states = {};

  /* A card's links and images are written for its guide's folder. */
  function rebase(el, slug) {
    Array.prototype.forEach.call(el.querySelectorAll("a[href], img[src]"), function (n) {
      var attr = n.tagName === "A" ? "href" : "src", v = n.getAttribute(attr);
      if (!/^([a-z][a-z0-9+.-]*:|\/|#)/i.test(v)) n.setAttribute(attr, encodeURIComponent(slug) + "/" + v);
    });
  }
  function build() {
    var today = R.today(), due = [], fresh = [], learned = 0;
    queue = [];
    decks.forEach(function (d) {
      states[d.slug] = R.load(d.slug);
      d.cards.forEach(function (c) {
        var s = states[d.slug][c[0]], item = { deck: d, c: c };
        if (!s) fresh.push(item);
        else if (s.due <= today) { item.due = s.due; due.push(item); }
        else learned++;
      });
    });
    due.sort(function (a, b) { return a.due - b.due; });
    queue = due.concat(fresh);
    $("n-due").textContent = due.length;
    $("n-new").textContent = fresh.length;
    $("n-learned").textContent = learned;
  }
  function next() {
    shown = queue.shift() || null;
    card.hidden = !shown;
    done.hidden = !!shown;
    if (!shown) return;
    var c = shown.c, slug = shown.deck.slug;
    $("r-where").textContent = shown.deck.title + " \u00b7 " + c[2];
    $("r-open").href = encodeURIComponent(slug) + "/" + c[1];
    var q = doc.createElement("p");
    q.innerHTML = c[3];
    $("r-question").replaceChildren(q);
    answer.innerHTML = c[4];
    rebase($("r-question"), slug);
    rebase(answer, slug);
    answer.hidden = true;
    grades.hidden = true;
    reveal.hidden = false;
    reveal.focus();
  }
  function show() {
    if (!shown || !answer.hidden) return;
    answer.hidden = false;
    reveal.hidden = true;
    grades.hidden = false;
    grades.querySelector("button[value='3']").focus();
  }
  function grade(g) {
    if (!shown || answer.hidden) return;
    var slug = shown.deck.slug, cards = R.load(slug);
    cards[shown.c[0]] = R.grade(cards[shown.c[0]], g);
    R.save(slug, cards);
    var again = g === 1 ? shown : null;
    build();
    /* SM-2 repeats what was forgotten within the same session */
    if (again) queue.push(again);
    next();
  }
  reveal.addEventListener("click", show);
  grades.addEventListener("click", function (ev) {
    var b = ev.target.closest("button");
    if (b) grade(+b.value);
  });
  doc.addEventListener("keydown", function (ev) {
    var t = ev.target;
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (doc.querySelector("dialog[open]")) return;
    if (ev.key === " " && shown && answer.hidden) { ev.preventDefault(); show(); }
    else if (/^[1-4]$/.test(ev.key) && shown && !answer.hidden) { ev.preventDefault(); grade(+ev.key); }
  });

  /* Export: every guide's schedule in one JSON file. */
  $("r-export").addEventListener("click", function () {
    var out = { format: "depthbook-review", version: 1, algorithm: "SM-2", exported: new Date().toISOString(), guides: {} };
    for (var i = 0; i < window.localStorage.length; i++) {
      var k = window.localStorage.key(i);
      if (k.lastIndexOf("depthbook.review.", 0) === 0) out.guides[k.slice(17)] = R.load(k.slice(17));
    }
    var blob = new Blob([JSON.stringify(out, null, 1)], { type: "application/json" });
    var a = doc.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "depthbook-review.json";
    doc.body.appendChild(a);
    a.click();
    doc.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
    statusLine.textContent = "Exported " + Object.keys(out.guides).length + " guides' progress.";
  });
  /* Import: merged card by card, the most recently graded state winning. */
  $("r-import").addEventListener("change", function () {
    var f = this.files && this.files[0];
    if (!f) return;
    var reader = new FileReader();
    reader.onload = function () {
      var data, n = 0;
      try { data = JSON.parse(reader.result); } catch (e) { data = null; }
      if (!data || data.format !== "depthbook-review" || typeof data.guides !== "object") {
        statusLine.textContent = "That file is not a depthbook review export.";
        return;
      }
      Object.keys(data.guides).forEach(function (slug) {
        var mine = R.load(slug), theirs = data.guides[slug] || {};
        Object.keys(theirs).forEach(function (key) {
          var t = theirs[key];
          if (!t || typeof t.due !== "number") return;
          if (!mine[key] || (t.last || 0) > (mine[key].last || 0)) { mine[key] = t; n++; }
        });
        R.save(slug, mine);
      });
      statusLine.textContent = "Imported " + n + " cards' progress.";
      build();
      next();
    };
    reader.readAsText(f);
  });
  build();
  next();
})();
