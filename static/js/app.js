// Toasts from the HX-Trigger "toasts" event, copy-to-clipboard and confirm-before-submit. No framework.
(function () {
  function showToast(level, text) {
    var box = document.getElementById("toasts");
    if (!box) return;
    var el = document.createElement("div");
    el.className = "toast toast-" + level;
    el.setAttribute("role", "status");
    el.textContent = text;
    box.appendChild(el);
    setTimeout(function () { el.remove(); }, 5000);
  }
  document.body.addEventListener("toasts", function (event) {
    (event.detail.value || []).forEach(function (t) { showToast(t.level, t.text); });
  });
  // Forms that need a second thought carry data-confirm="question"; no inline handlers anywhere.
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-history-back]")) { history.back(); return; }
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var target = document.getElementById(button.getAttribute("data-copy"));
    if (target && navigator.clipboard) {
      navigator.clipboard.writeText(target.textContent.trim());
      showToast("success", "Copied to the clipboard.");
    }
  });
  document.querySelectorAll(".alert[data-autohide]").forEach(function (el) {
    setTimeout(function () { el.remove(); }, 6000);
  });
})();
