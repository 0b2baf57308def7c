// Live breakout board: polls for notes newer than the last one shown and posts
// without leaving the page. Hooked on data-board-* attributes; without this
// script the board is a plain form that posts and reloads (see views.py for why
// polling rather than SSE or WebSockets).
(function () {
  "use strict";
  var list = document.querySelector("[data-board-poll]");
  if (!list) { return; }
  var url = list.getAttribute("data-board-poll");
  var seconds = parseInt(list.getAttribute("data-board-seconds"), 10) || 3;
  var empty = document.getElementById("notes-empty");
  var hint = document.querySelector(".no-js-hint");
  if (hint) { hint.textContent = hint.textContent.split(".")[0] + "."; }
  var busy = false;

  function lastId() {
    var notes = list.querySelectorAll("[data-note-id]");
    return notes.length ? notes[notes.length - 1].getAttribute("data-note-id") : "0";
  }

  function poll() {
    if (busy) { return Promise.resolve(); }
    busy = true;
    return fetch(url + "?after=" + encodeURIComponent(lastId()), {
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (response.status !== 200) { return; }
      return response.text().then(function (html) {
        var holder = document.createElement("ol");
        holder.innerHTML = html;
        Array.prototype.forEach.call(holder.querySelectorAll("[data-note-id]"), function (item) {
          if (!document.getElementById(item.id)) { list.appendChild(item); }
        });
        if (empty) { empty.hidden = true; }
      });
    }).catch(function () { /* offline for a moment: the next poll tries again */ })
      .then(function () { busy = false; });
  }

  var form = document.querySelector("[data-board-form]");
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      fetch(window.location.pathname, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" }
      }).then(function (response) {
        if (response.status === 201) {
          form.reset();
          poll();
        } else {
          form.submit();  // let the server show the errors the normal way
        }
      }).catch(function () { form.submit(); });
    });
  }
  window.setInterval(poll, seconds * 1000);
})();
