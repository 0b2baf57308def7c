// Error summaries ([data-error-summary]): focus moves to the first one when the page loads,
// so keyboard and screen-reader users start at the list of problems; following one of its
// links focuses the field itself and scrolls its label or question into view (a plain
// #anchor only scrolls, and would hide the label above the input).
(function () {
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  document.querySelectorAll("[data-error-summary] a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var input = document.getElementById(link.getAttribute("href").slice(1));
      if (!input) return;
      event.preventDefault();
      var fieldset = input.closest("fieldset");
      var label = (fieldset && fieldset.querySelector("legend")) ||
        document.querySelector("label[for='" + input.id + "']") || input;
      label.scrollIntoView();
      input.focus({ preventScroll: true });
    });
  });
})();
