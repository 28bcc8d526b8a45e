"use strict";
(function () {
  function byId(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }

  /* ---- findings filter: on the list items, or on the data of a large document ---- */
  var PAGE = 500;
  function findingItem(row) {
    var li = el("li", null, "finding sev-" + row[2]);
    li.setAttribute("data-rule", row[0]);
    li.setAttribute("data-severity", row[2]);
    li.setAttribute("data-journey", row[5]);
    var p = el("p"), a = el("a", row[0] + " " + row[1]);
    p.appendChild(el("span", row[2], "sev"));
    p.appendChild(document.createTextNode(" "));
    a.href = "#rule-" + row[0];
    p.appendChild(a);
    p.appendChild(document.createTextNode(": " + row[3]));
    li.appendChild(p);
    var where = el("p", "at ", "path");
    where.appendChild(el("code", row[4]));
    li.appendChild(where);
    return li;
  }
  function setupFindings() {
    var list = byId("f-list");
    if (!list) { return; }
    var block = byId("f-data"), more = byId("f-more");
    var rows = block ? JSON.parse(block.textContent) : null;
    var items = rows ? null : Array.prototype.slice.call(list.children);
    var total = rows ? rows.length : items.length;
    var selects = ["f-rule", "f-severity", "f-journey"].map(byId);
    var count = byId("f-count");
    var matching = [], drawn = 0;
    function wanted() { return selects.map(function (s) { return s ? s.value : ""; }); }
    function ok(rule, severity, journey, want) {
      return (!want[0] || rule === want[0]) && (!want[1] || severity === want[1]) &&
        (!want[2] || journey === want[2]);
    }
    function drawMore() {
      var end = Math.min(matching.length, drawn + PAGE), frag = document.createDocumentFragment();
      for (; drawn < end; drawn++) { frag.appendChild(findingItem(matching[drawn])); }
      list.appendChild(frag);
      more.hidden = drawn >= matching.length;
      more.textContent = "Show " + Math.min(PAGE, matching.length - drawn).toLocaleString("en") +
        " more (" + drawn.toLocaleString("en") + " of " + matching.length.toLocaleString("en") + " drawn)";
    }
    function apply() {
      var want = wanted(), shown = 0;
      if (rows) {
        matching = rows.filter(function (r) { return ok(r[0], r[2], r[5], want); });
        shown = matching.length; drawn = 0; list.textContent = ""; drawMore();
      } else {
        items.forEach(function (li) {
          var yes = ok(li.getAttribute("data-rule"), li.getAttribute("data-severity"),
                       li.getAttribute("data-journey"), want);
          li.hidden = !yes;
          if (yes) { shown++; }
        });
      }
      count.textContent = shown.toLocaleString("en") + " of " +
        total.toLocaleString("en") + " findings shown.";
    }
    selects.forEach(function (s) { if (s) { s.addEventListener("change", apply); } });
    if (rows) { more.addEventListener("click", drawMore); apply(); }
  }

  /* ---- journeys: open the one named in the address ---- */
  function openFromHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id ? byId(id) : null;
    if (target && target.tagName === "DETAILS") { target.open = true; }
  }

  /* ---- org chart: a canvas that draws only the boxes in view ---- */
  function setupOrgChart() {
    var canvas = byId("org-canvas");
    var block = byId("org-data");
    if (!canvas || !block) { return; }
    var data = JSON.parse(block.textContent);
    var units = data.units, people = data.people, lines = data.lines;
    var BW = data.box[0], BH = data.box[1];
    units.forEach(function (u) { u[7] = data.layers[u[7]]; });
    var ctx = canvas.getContext("2d");
    var view = { scale: 1, x: 0, y: 0 };
    var selected = -1, pending = false, dpr = window.devicePixelRatio || 1;
    var FILL = { functional: "#e8eef7", customer: "#fdebd3", market: "#e3f2e1" };
    var STROKE = { functional: "#4a6fa5", customer: "#c96f12", market: "#3d8b37" };
    var children = null, index = null;

    function kids() {
      if (!children) {
        children = units.map(function () { return []; });
        units.forEach(function (u, i) { if (u[3] >= 0) { children[u[3]].push(i); } });
      }
      return children;
    }
    function resize() {
      var w = canvas.clientWidth || 960, h = canvas.clientHeight || 560;
      canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr);
      redraw();
    }
    function redraw() {
      if (!pending) { pending = true; window.requestAnimationFrame(draw); }
    }
    function clip(text, max) {
      if (ctx.measureText(text).width <= max) { return text; }
      var lo = 0, hi = text.length;
      while (lo < hi) {
        var mid = (lo + hi + 1) >> 1;
        if (ctx.measureText(text.slice(0, mid) + "…").width <= max) { lo = mid; } else { hi = mid - 1; }
      }
      return text.slice(0, lo) + "…";
    }
    function draw() {
      pending = false;
      var s = view.scale, w = canvas.width / dpr, h = canvas.height / dpr;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, w, h);
      ctx.setTransform(dpr * s, 0, 0, dpr * s, -view.x * s * dpr, -view.y * s * dpr);
      var x0 = view.x - BW, y0 = view.y - BH, x1 = view.x + w / s, y1 = view.y + h / s;
      var visible = [];
      for (var i = 0; i < units.length; i++) {
        var u = units[i];
        if (u[4] >= x0 && u[4] <= x1 && u[5] >= y0 && u[5] <= y1) { visible.push(i); }
      }
      ctx.lineWidth = 1 / Math.max(s, 0.5);
      ctx.strokeStyle = "#9aa5b1";
      ctx.beginPath();
      visible.forEach(function (i) {
        var u = units[i], p = u[3];
        if (p < 0) { return; }
        var q = units[p];
        if (u[4] > q[4] + BW / 2) {  /* stacked under its parent */
          ctx.moveTo(q[4] + 10, q[5] + BH); ctx.lineTo(q[4] + 10, u[5] + BH / 2);
          ctx.lineTo(u[4], u[5] + BH / 2);
        } else {
          var mid = (q[5] + BH + u[5]) / 2;
          ctx.moveTo(q[4] + BW / 2, q[5] + BH); ctx.lineTo(q[4] + BW / 2, mid);
          ctx.lineTo(u[4] + BW / 2, mid); ctx.lineTo(u[4] + BW / 2, u[5]);
        }
      });
      ctx.stroke();
      if (lines.length && visible.length < 4000) {
        ctx.save(); ctx.setLineDash([4, 4]); ctx.strokeStyle = "#7b5ea7"; ctx.beginPath();
        lines.forEach(function (l) {
          var a = units[l[0]], b = units[l[1]];
          var inA = a[4] >= x0 && a[4] <= x1 && a[5] >= y0 && a[5] <= y1;
          var inB = b[4] >= x0 && b[4] <= x1 && b[5] >= y0 && b[5] <= y1;
          if (!inA && !inB) { return; }
          ctx.moveTo(a[4] + BW / 2, a[5] + BH / 2); ctx.lineTo(b[4] + BW / 2, b[5] + BH / 2);
        });
        ctx.stroke(); ctx.restore();
      }
      var text = s >= 0.4 && visible.length < 6000;
      ctx.font = "bold 12px DejaVu Sans, Verdana, Arial, sans-serif";
      visible.forEach(function (i) {
        var u = units[i];
        ctx.fillStyle = FILL[u[7]] || FILL.functional;
        ctx.strokeStyle = i === selected ? "#d97706" : (STROKE[u[7]] || STROKE.functional);
        ctx.lineWidth = (i === selected ? 4 : 1.2) / Math.max(s, 0.3);
        ctx.fillRect(u[4], u[5], BW, BH);
        ctx.strokeRect(u[4], u[5], BW, BH);
        if (!text) { return; }
        ctx.fillStyle = "#1f2933";
        ctx.font = "bold 12px DejaVu Sans, Verdana, Arial, sans-serif";
        ctx.fillText(clip(u[1], BW - 12), u[4] + 6, u[5] + 18);
        ctx.font = "11px DejaVu Sans, Verdana, Arial, sans-serif";
        var sub = u[2] || "";
        if (sub) { ctx.fillText(clip(sub, BW - 12), u[4] + 6, u[5] + 33); }
        if (u[6]) {
          ctx.fillStyle = "#3e4c59";
          ctx.fillText(u[6] + (u[6] === 1 ? " person" : " people"), u[4] + 6, u[5] + 47);
        }
      });
    }
    function toModel(cx, cy) { return [view.x + cx / view.scale, view.y + cy / view.scale]; }
    function zoom(factor, cx, cy) {
      var before = toModel(cx, cy);
      view.scale = Math.min(3, Math.max(0.0005, view.scale * factor));
      view.x = before[0] - cx / view.scale; view.y = before[1] - cy / view.scale;
      redraw();
    }
    function fit() {
      var w = canvas.clientWidth || 960, h = canvas.clientHeight || 560;
      view.scale = Math.min(1, Math.max(0.0005, Math.min(w / data.size[0], h / data.size[1])));
      view.x = -((w / view.scale) - data.size[0]) / 2; view.y = -10 / view.scale;
      redraw();
    }
    function centre(i) {
      var w = canvas.clientWidth || 960, h = canvas.clientHeight || 560, u = units[i];
      view.scale = Math.max(view.scale, 0.8);
      view.x = u[4] + BW / 2 - w / 2 / view.scale; view.y = u[5] + BH / 2 - h / 2 / view.scale;
      redraw();
    }
    function unitButton(i) {
      var b = el("button", units[i][1]);
      b.type = "button";
      b.addEventListener("click", function () { select(i, true); });
      return b;
    }
    function select(i, move) {
      selected = i;
      if (move) { centre(i); } else { redraw(); }
      var u = units[i], panel = byId("org-detail");
      panel.textContent = "";
      panel.appendChild(el("h3", u[1]));
      var facts = el("p", "id " + u[0] + " · " + u[7] + " layer" + (u[2] ? " · head: " + u[2] : ""));
      panel.appendChild(facts);
      if (u[3] >= 0) {
        var up = el("p", "Reports to: "); up.appendChild(unitButton(u[3])); panel.appendChild(up);
      }
      var mine = [];
      for (var k = 0; k < people.length && mine.length < 50; k++) {
        if (people[k][2] === i) { mine.push(people[k]); }
      }
      panel.appendChild(el("p", u[6] + (u[6] === 1 ? " person" : " people")));
      if (mine.length) {
        var ul = el("ul");
        mine.forEach(function (p) { ul.appendChild(el("li", p[0] + " — " + p[1])); });
        panel.appendChild(ul);
      }
      var ch = kids()[i];
      if (ch.length) {
        panel.appendChild(el("p", ch.length + (ch.length === 1 ? " unit" : " units") + " below:"));
        var list = el("ul");
        ch.slice(0, 50).forEach(function (c) {
          var li = el("li"); li.appendChild(unitButton(c)); list.appendChild(li);
        });
        panel.appendChild(list);
      }
    }
    function search(query) {
      var results = byId("org-results");
      results.textContent = "";
      query = query.trim().toLowerCase();
      if (query.length < 2) { return; }
      if (!index) {
        index = units.map(function (u) { return (u[1] + "\n" + u[2] + "\n" + u[0]).toLowerCase(); });
        index.people = people.map(function (p) { return p[0].toLowerCase(); });
      }
      var found = 0;
      for (var i = 0; i < index.length && found < 20; i++) {
        if (index[i].indexOf(query) >= 0) {
          var li = el("li"); li.appendChild(unitButton(i)); results.appendChild(li); found++;
        }
      }
      for (var k = 0; k < index.people.length && found < 20; k++) {
        if (index.people[k].indexOf(query) >= 0) {
          var p = people[k], b = el("button", p[0] + " (" + p[1] + ", " + units[p[2]][1] + ")");
          b.type = "button";
          b.addEventListener("click", (function (u) { return function () { select(u, true); }; })(p[2]));
          var item = el("li"); item.appendChild(b); results.appendChild(item); found++;
        }
      }
      if (!found) { results.appendChild(el("li", "Nothing found for “" + query + "”.")); }
    }
    var timer = null, input = byId("org-search");
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { search(input.value); }, 120);
    });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") {
        ev.preventDefault(); search(input.value);
        var first = byId("org-results").querySelector("button");
        if (first) { first.click(); }
      }
    });
    document.querySelectorAll("[data-zoom]").forEach(function (b) {
      b.addEventListener("click", function () {
        var kind = b.getAttribute("data-zoom");
        if (kind === "fit") { fit(); return; }
        zoom(kind === "in" ? 1.25 : 0.8, canvas.clientWidth / 2, canvas.clientHeight / 2);
      });
    });
    var drag = null, moved = false;
    canvas.addEventListener("pointerdown", function (ev) {
      drag = [ev.clientX, ev.clientY, view.x, view.y]; moved = false;
      canvas.setPointerCapture(ev.pointerId);
    });
    canvas.addEventListener("pointermove", function (ev) {
      if (!drag) { return; }
      var dx = ev.clientX - drag[0], dy = ev.clientY - drag[1];
      if (Math.abs(dx) + Math.abs(dy) > 3) { moved = true; }
      view.x = drag[2] - dx / view.scale; view.y = drag[3] - dy / view.scale; redraw();
    });
    canvas.addEventListener("pointerup", function (ev) {
      var wasDrag = moved; drag = null;
      if (wasDrag) { return; }
      var r = canvas.getBoundingClientRect(), m = toModel(ev.clientX - r.left, ev.clientY - r.top);
      for (var i = 0; i < units.length; i++) {
        var u = units[i];
        if (m[0] >= u[4] && m[0] <= u[4] + BW && m[1] >= u[5] && m[1] <= u[5] + BH) { select(i, false); return; }
      }
    });
    canvas.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var r = canvas.getBoundingClientRect();
      zoom(ev.deltaY < 0 ? 1.15 : 1 / 1.15, ev.clientX - r.left, ev.clientY - r.top);
    }, { passive: false });
    canvas.addEventListener("keydown", function (ev) {
      var step = 60 / view.scale, used = true;
      if (ev.key === "ArrowLeft") { view.x -= step; } else if (ev.key === "ArrowRight") { view.x += step; }
      else if (ev.key === "ArrowUp") { view.y -= step; } else if (ev.key === "ArrowDown") { view.y += step; }
      else if (ev.key === "+" || ev.key === "=") { zoom(1.25, canvas.clientWidth / 2, canvas.clientHeight / 2); }
      else if (ev.key === "-") { zoom(0.8, canvas.clientWidth / 2, canvas.clientHeight / 2); }
      else if (ev.key === "0") { fit(); } else { used = false; }
      if (used) { ev.preventDefault(); redraw(); }
    });
    window.addEventListener("resize", resize);
    resize();
    fit();
    if (units.length) { select(0, false); }
  }

  setupFindings();
  setupOrgChart();
  openFromHash();
  window.addEventListener("hashchange", openFromHash);
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
  document.documentElement.setAttribute("data-ready", String(Math.round(performance.now())));
})();
