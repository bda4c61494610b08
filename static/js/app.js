// Toasts from the HX-Trigger "toasts" event, copy-to-clipboard and the in-app confirmation dialog. No framework.
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
  // Forms and htmx elements that need a second thought carry data-confirm="what will happen": the in-app
  // dialog of templates/components/dialog.html asks, never the browser's confirm().
  var dialog = document.getElementById("confirm-dialog");
  function askThenRun(source, run, question) {
    if (!dialog || typeof dialog.showModal !== "function") { run(); return; }
    var confirmButton = dialog.querySelector("[data-dialog-confirm]");
    var danger = source.hasAttribute("data-confirm-danger");
    // The defaults in the reader's language, from the dialog's own markup (components/dialog.html).
    dialog.querySelector(".dialog-title").textContent = source.getAttribute("data-confirm-title") || dialog.getAttribute("data-default-title") || "Are you sure?";
    dialog.querySelector(".dialog-text").textContent = question || source.getAttribute("data-confirm");
    confirmButton.textContent = source.getAttribute("data-confirm-action") || source.getAttribute("data-confirm-label") || dialog.getAttribute("data-default-action") || "Confirm";
    confirmButton.className = "btn " + (danger ? "btn-danger-solid" : "btn-primary");
    dialog.classList.toggle("dialog-danger", danger);
    dialog.returnValue = "";
    dialog.onclose = function () { if (dialog.returnValue === "confirm") run(); };
    dialog.showModal();
    // A destructive dialog starts on Cancel, so Enter alone never destroys anything.
    (danger ? dialog.querySelector("[data-dialog-cancel]") : confirmButton).focus();
  }
  if (dialog) {
    dialog.addEventListener("keydown", function (event) {
      if (event.key !== "Tab") return;  // keep Tab inside the dialog
      var items = dialog.querySelectorAll("button");
      var first = items[0], last = items[items.length - 1];
      if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
      else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
    });
  }
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (!form || event.defaultPrevented) return;  // htmx forms are asked through htmx:confirm below
    if (form.getAttribute("data-confirmed") === "yes") { form.removeAttribute("data-confirmed"); return; }
    event.preventDefault();
    var submitter = event.submitter;
    askThenRun(form, function () {
      form.setAttribute("data-confirmed", "yes");
      form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
    });
  });
  document.body.addEventListener("htmx:confirm", function (event) {
    // data-confirm="..." on the element (or a parent), or htmx's own hx-confirm="question".
    var source = event.detail.elt.closest("[data-confirm]");
    var question = source ? null : event.detail.question;
    if (!source && !question) return;
    event.preventDefault();
    askThenRun(source || event.detail.elt, function () { event.detail.issueRequest(true); }, question);
  });
  var toasts = document.getElementById("toasts");
  var copied = (toasts && toasts.getAttribute("data-copied")) || "Copied to the clipboard.";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-history-back]")) { history.back(); return; }
    var copyText = event.target.closest("[data-copy-text]");
    if (copyText && navigator.clipboard) {
      navigator.clipboard.writeText(copyText.getAttribute("data-copy-text"));
      showToast("success", copied);
      return;
    }
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var target = document.getElementById(button.getAttribute("data-copy"));
    if (target && navigator.clipboard) {
      navigator.clipboard.writeText(target.textContent.trim());
      showToast("success", copied);
    }
  });
  document.querySelectorAll(".alert[data-autohide]").forEach(function (el) {
    setTimeout(function () { el.remove(); }, 6000);
  });
})();

// Drawers ([data-drawer], filled by htmx from a row's link): the focus goes to the panel's title when it
// opens, and back to the link that opened it when its close button or Escape empties it. The opened row is
// marked. After a list region is swapped, a column header or pager link that had the focus gets it back.
(function () {
  var opener = null;
  function mark(link) {
    document.querySelectorAll("tr.is-selected").forEach(function (row) { row.classList.remove("is-selected"); });
    document.querySelectorAll("[aria-controls][aria-current]").forEach(function (a) { a.removeAttribute("aria-current"); });
    var row = link && link.closest ? link.closest("tr") : null;
    if (row) row.classList.add("is-selected");
    if (row) link.setAttribute("aria-current", "true");
  }
  function closeDrawer(drawer) {
    drawer.innerHTML = "";
    mark(null);
    if (opener && document.body.contains(opener)) opener.focus();
    opener = null;
  }
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var drawer = event.detail.target;
    if (!drawer || !drawer.matches || !drawer.matches("[data-drawer]")) return;
    opener = event.detail.requestConfig ? event.detail.requestConfig.elt : null;
    mark(opener);
    drawer.scrollTop = 0;
    var title = drawer.querySelector("[data-drawer-title]");
    if (title) title.focus({ preventScroll: true });
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-drawer-close]");
    if (button) closeDrawer(button.closest("[data-drawer]"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    var drawer = document.querySelector("[data-drawer]:has(*)");
    // Escape in a field of the page (a search box) keeps its own meaning there.
    var field = event.target.closest && event.target.closest("input, select, textarea");
    if (drawer && !(field && !drawer.contains(field))) {
      event.preventDefault();
      closeDrawer(drawer);
    }
  });

  // Keep the keyboard's place when a region is replaced (outerHTML swaps drop the focused link).
  var focusKey = null;
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var active = document.activeElement;
    focusKey = null;
    if (!target || !target.id || !active || !target.contains(active) || active.tagName !== "A") return;
    var group = active.closest("th") ? "th a" : active.closest(".pager") ? ".pager a" : null;
    if (group) focusKey = { id: target.id, group: group, text: active.textContent.replace(/[▲▼]/g, "").trim() };
  });
  document.body.addEventListener("htmx:afterSettle", function () {
    if (!focusKey) return;
    var key = focusKey;
    focusKey = null;
    var region = document.getElementById(key.id);
    if (!region) return;
    var links = region.querySelectorAll(key.group);
    for (var i = 0; i < links.length; i++) {
      if (links[i].textContent.replace(/[▲▼]/g, "").trim() === key.text) { links[i].focus(); return; }
    }
    if (links.length) links[0].focus();
  });
})();

// A table wider than its frame scrolls: the frame becomes a named, focusable region so that keyboard users can
// scroll it too (WCAG 2.1.1; axe "scrollable-region-focusable"). Checked on load and after every htmx swap.
(function () {
  function markScrollers() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth <= wrap.clientWidth + 1 || wrap.hasAttribute("tabindex")) return;
      var caption = wrap.querySelector("caption");
      var heading = wrap.closest("section, .card") && wrap.closest("section, .card").querySelector("h2, h3");
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", (caption || heading || { textContent: "Table" }).textContent.trim());
    });
  }
  markScrollers();
  document.body.addEventListener("htmx:afterSettle", markScrollers);
  window.addEventListener("resize", markScrollers);
})();
