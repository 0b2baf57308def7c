// Live progress of background work. Any element with data-progress="URL" polls that
// JSON status every 2 s, updates its label, bar and count, and reloads the page when
// the work ends so the result (or the "Run it again" button) shows. No framework.
(function () {
  document.querySelectorAll("[data-progress]").forEach(function (box) {
    var url = box.getAttribute("data-progress");
    var wait = 2000;
    function set(selector, text) {
      var el = box.querySelector(selector);
      if (el) el.textContent = text;
    }
    function tick() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (s) {
          if (!s.active) { window.location.reload(); return; }
          set("[data-progress-label]", s.label);
          set("[data-progress-stage]", s.stage ? ": " + s.stage : "");
          if (s.total) set("[data-progress-count]", s.done + " / " + s.total);
          var bar = box.querySelector("progress");
          if (bar) {
            if (s.percent === null || s.percent === undefined) bar.removeAttribute("value");
            else bar.value = s.percent;
          }
          wait = 2000;
          setTimeout(tick, wait);
        })
        .catch(function () { wait = Math.min(wait * 2, 30000); setTimeout(tick, wait); });
    }
    setTimeout(tick, wait);
  });
})();
