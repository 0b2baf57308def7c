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

  // The note being typed is kept in this tab's sessionStorage until the server says it
  // is posted: a session that ran out while someone typed sends the fallback post to the
  // login page, and after logging in the board puts the note back in the box. Per tab,
  // not localStorage, so a shared computer does not show it to the next person.
  var draftKey = "cairn-board-draft:" + window.location.pathname;

  // Whitespace aside: the board shows a note's line breaks as <br>, which textContent drops.
  function squash(text) { return text.replace(/\s+/g, ""); }

  function keepDraft(text) {
    try {
      if (text.trim()) { window.sessionStorage.setItem(draftKey, text); }
      else { window.sessionStorage.removeItem(draftKey); }
    } catch (e) { /* storage refused (private mode, full): the post still works */ }
  }

  function storedDraft() {
    try { return window.sessionStorage.getItem(draftKey) || ""; } catch (e) { return ""; }
  }

  function alreadyOnBoard(text) {
    // Posted the plain way (no script reply): the server's page shows it; not put back.
    var wanted = squash(text);
    return Array.prototype.some.call(list.querySelectorAll("[data-note-id] p:first-child"),
      function (p) { return squash(p.textContent) === wanted; });
  }

  var form = document.querySelector("[data-board-form]");
  if (form) {
    var box = form.elements.text;
    var draft = storedDraft();
    if (box && draft) {
      if (box.value.trim() || alreadyOnBoard(draft)) {
        keepDraft(box.value);  // the server put the text back itself, or it was posted
      } else {
        box.value = draft;
        var restored = document.getElementById("board-draft-restored");
        if (restored) { restored.hidden = false; }
        box.focus();
      }
    }
    if (box) { box.addEventListener("input", function () { keepDraft(box.value); }); }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (box) { keepDraft(box.value); }
      var data = new FormData(form);
      fetch(window.location.pathname, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" }
      }).then(function (response) {
        if (response.status === 201) {
          keepDraft("");
          form.reset();
          var shown = document.getElementById("board-draft-restored");
          if (shown) { shown.hidden = true; }
          poll();
        } else {
          form.submit();  // let the server show the errors (or the login) the normal way
        }
      }).catch(function () { form.submit(); });
    });
  }
  window.setInterval(poll, seconds * 1000);
})();
