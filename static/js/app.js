// Toasts from the HX-Trigger "toasts" event and copy-to-clipboard. No framework.
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
    var drawer = document.querySelector("[data-drawer]:not(:empty)");
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

// The one confirm dialog (templates/components/confirm_dialog.html), never the browser's confirm(): a form
// with data-confirm="question" (data-confirm-label names the button) and an htmx request with hx-confirm ask
// it first; confirming goes on with what was asked, cancelling or Escape does nothing and gives the focus
// back to what asked.
(function () {
  var dialog = document.getElementById("confirm-dialog");
  if (!dialog || typeof dialog.showModal !== "function") return;
  var text = dialog.querySelector("[data-confirm-text]");
  var ok = dialog.querySelector("[data-confirm-ok]");
  var pending = null;
  function ask(question, label, opener, proceed) {
    pending = { proceed: proceed, opener: opener };
    text.textContent = question;
    ok.textContent = label || "Confirm";
    dialog.returnValue = "";
    dialog.showModal();
  }
  dialog.addEventListener("close", function () {
    var asked = pending;
    pending = null;
    if (!asked) return;
    if (dialog.returnValue === "confirm") asked.proceed();
    else if (asked.opener && document.body.contains(asked.opener)) asked.opener.focus();
  });
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (!form) return;
    if (form.hasAttribute("data-confirmed")) { form.removeAttribute("data-confirmed"); return; }
    event.preventDefault();
    var submitter = event.submitter || null;
    ask(form.getAttribute("data-confirm"), form.getAttribute("data-confirm-label"), submitter, function () {
      form.setAttribute("data-confirmed", "");
      if (form.requestSubmit) form.requestSubmit(submitter); else form.submit();
    });
  });
  document.body.addEventListener("htmx:confirm", function (event) {
    if (!event.detail.question) return;
    event.preventDefault();
    var elt = event.detail.elt;
    var opener = elt && elt.querySelector ? elt.querySelector("[type=submit]") || elt : elt;
    ask(event.detail.question, elt && elt.getAttribute("data-confirm-label"), opener, function () {
      event.detail.issueRequest(true);
    });
  });
})();
