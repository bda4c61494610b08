// Billing pages: in-app confirmation dialogs (<dialog>, no window.confirm). A button with
// data-open-dialog="id" opens that dialog; data-close-dialog inside closes it. Works after htmx swaps.
(function () {
  document.addEventListener("click", function (event) {
    var opener = event.target.closest("[data-open-dialog]");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-open-dialog"));
      if (dialog && typeof dialog.showModal === "function") {
        dialog.showModal();
        var cancel = dialog.querySelector("[data-close-dialog]");
        if (cancel) cancel.focus();
      }
      return;
    }
    var closer = event.target.closest("[data-close-dialog]");
    if (closer) {
      var open = closer.closest("dialog");
      if (open) open.close();
    }
  });
})();
